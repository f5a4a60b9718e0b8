/// The text of every file `omnibus new` writes. Golden files in Tests/SkeletonTests/Snapshots
/// pin it: changing a template means regenerating them (scripts/update-skeleton-snapshots).
struct SkeletonTemplates {
    let name: String

    var project: String {
        """
        # The project: what one package bundles and how package managers describe it.
        # Every key: docs/definitions.md in the omnibus repository.
        name: \(name)                        # must equal the file name; a valid deb and rpm package name
        maintainer: Your Name <you@example.com>  # "Name <email>": shown by dpkg and rpm
        homepage: https://example.com/\(name)
        description: |
          Example program packaged with omnibus
          Replace this text. The first line is the summary; the lines after
          it are the long description that dpkg and rpm show (keep them short).
        license: Apache-2.0
        install_dir: /opt/\(name)            # everything goes here; software installs into /opt/\(name)/embedded
        version: "0.1.0"                     # or { from: git } for `git describe --tags`, or { from: env, variable: X }
        iteration: 1                         # bump to re-release the same version
        dependencies: [hello]                # software from Software/, then the library that ships with omnibus
        files:                               # installed outside /opt/\(name), owned (and removed) by the package
          - path: /usr/bin/hello             # puts the command on PATH
            target: /opt/\(name)/bin/hello    # a symlink; 'source:' ships a repository file, 'type: directory' a directory
        package:
          formats: [deb, rpm, tar]           # written to pkg/ with a .metadata.json each
          user: root                         # every packaged file is owned by user:group, whoever builds
          group: root

        """
    }

    var software: String {
        """
        # A software definition: where one component's source comes from and how it is built.
        # This one is a small C program kept in this repository (src/hello), so the project
        # builds offline. Copy it to add your own software; every key: docs/definitions.md.
        name: hello                          # must equal the file name
        default_version: "1.0.0"             # quote versions: 1.10 is not 1.1
        license: Apache-2.0                  # goes into the version manifest and LICENSES/
        license_files: [LICENSE]             # copied from the source into <install_dir>/LICENSES/hello/
        dependencies: []                     # other software built (and merged) before this one
        versions:
          "1.0.0":
            # Sources: { path: dir } (here), { url: https://..., sha256: <64 hex> },
            # { git: https://..., commit: <40 hex> }. Downloads are always checksum-verified.
            source: { path: ../src/hello }
        # Steps run in the unpacked source with a clean, pinned environment: CFLAGS and LDFLAGS
        # point at {{embedded}}, with an rpath, so the program loads bundled libraries only.
        # DESTDIR is set: `make install` stages the files, omnibus merges them into the install dir.
        build:
          - make: ["PREFIX={{embedded}}"]            # runs `make -j<jobs> PREFIX=/opt/\(name)/embedded`
          - make: [install, "PREFIX={{embedded}}"]
          - mkdir: "{{install_dir}}/bin"             # paths inside the install dir are staged too
          - link: { target: ../embedded/bin/hello, path: "{{install_dir}}/bin/hello" }

        """
    }

    var helloSource: String {
        """
        #include <stdio.h>
        #include <string.h>

        #ifndef HELLO_VERSION
        #define HELLO_VERSION "1.0.0"
        #endif

        int main(int argc, char **argv)
        {
            if (argc > 1 && strcmp(argv[1], "--version") == 0) {
                printf("hello %s (\(name))\\n", HELLO_VERSION);
                return 0;
            }
            printf("Hello from \(name)!\\n");
            return 0;
        }

        """
    }

    var helloMakefile: String {
        """
        # Honours the CFLAGS/LDFLAGS omnibus pins, PREFIX, and DESTDIR for staged installs.
        PREFIX ?= /usr/local

        all: hello

        hello: hello.c
        \t$(CC) $(CPPFLAGS) $(CFLAGS) hello.c -o hello $(LDFLAGS)

        install: hello
        \tinstall -d $(DESTDIR)$(PREFIX)/bin
        \tinstall -m 0755 hello $(DESTDIR)$(PREFIX)/bin/

        clean:
        \trm -f hello

        .PHONY: all install clean

        """
    }

    var helloLicense: String {
        """
        Copyright \(name) authors

        Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
        except in compliance with the License. You may obtain a copy of the License at

            http://www.apache.org/licenses/LICENSE-2.0

        Unless required by applicable law or agreed to in writing, software distributed under the
        License is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND,
        either express or implied. See the License for the specific language governing permissions
        and limitations under the License.

        """
    }

    var postinst: String {
        """
        #!/bin/sh
        # Runs after the files are unpacked.
        #   deb: postinst configure <old-version>
        #   rpm: %post with $1 = 1 (install) or 2 (upgrade)
        # Variables in double braces (install dir, project, user, group) are filled in when packaging.
        # Safe to run twice: it only (re)sets ownership.
        set -e
        install_dir='{{install_dir}}'

        # Whatever user built the package, the installed tree belongs to {{user}}:{{group}}.
        # chown clears setuid and setgid bits: those files' modes are noted first and put back.
        special=$(find "$install_dir" -type f \\( -perm -4000 -o -perm -2000 \\) -printf '%m %p\\n') || special=""
        chown -R '{{user}}:{{group}}' "$install_dir"
        printf '%s\\n' "$special" | while read -r mode path; do
          [ -z "$path" ] || chmod "$mode" "$path"
        done
        exit 0

        """
    }

    var gitignore: String {
        """
        # Packages and their metadata written by `omnibus build`.
        pkg/

        """
    }

    var workflow: String {
        """
        # Builds the \(name) packages on every push, keeps them as build artifacts, and keeps the
        # build logs when a build fails.
        #
        # Where omnibus comes from, set under Settings > Secrets and variables > Actions > Variables:
        #   OMNIBUS_RELEASE_URL  a released omnibus .deb (self-contained in /opt/omnibus); used when set.
        #   OMNIBUS_REPOSITORY   otherwise: the git URL of the omnibus source, built here with Swift
        #                        (the clone you run `omnibus` from: git -C <checkout> remote get-url origin).
        #   OMNIBUS_REF          the tag, branch or commit of it to build (default: main); a tag or a
        #                        commit keeps every build of this repository on the same omnibus.
        name: package
        on:
          push:
          workflow_dispatch:

        jobs:
          package:
            runs-on: ubuntu-latest
            # Debian 12 with the Swift toolchain omnibus builds with; the packages are named debian12.
            container: swift:6.3-bookworm
            env:
              OMNIBUS_RELEASE_URL: ${{ vars.OMNIBUS_RELEASE_URL }}
              OMNIBUS_REPOSITORY: ${{ vars.OMNIBUS_REPOSITORY }}
              OMNIBUS_REF: ${{ vars.OMNIBUS_REF || 'main' }}
              OMNIBUS_CACHE_DIR: /var/cache/omnibus      # sources and built layers, kept between runs
              OMNIBUS_WORK_DIR: /var/tmp/omnibus-work    # build trees and logs, not worth caching
            steps:
              - name: Tools
                run: |
                  apt-get update
                  apt-get install -y --no-install-recommends build-essential git ca-certificates curl \\
                    pkg-config libarchive-dev libssl-dev zlib1g-dev     # what building omnibus links
              - uses: actions/checkout@v4
                with:
                  fetch-depth: 0          # tags, for `version: { from: git }`; packages are dated at the last commit
              - name: Install the omnibus release
                if: env.OMNIBUS_RELEASE_URL != ''
                run: |
                  curl -fsSLo /tmp/omnibus.deb "$OMNIBUS_RELEASE_URL"
                  apt-get install -y /tmp/omnibus.deb
                  echo /opt/omnibus/bin >> "$GITHUB_PATH"   # the package puts nothing on PATH itself
              - name: Fetch the omnibus source
                id: omnibus-source
                if: env.OMNIBUS_RELEASE_URL == ''
                run: |
                  if [ -z "$OMNIBUS_REPOSITORY" ]; then
                    echo "::error::set the repository variable OMNIBUS_REPOSITORY (the git URL of omnibus) or OMNIBUS_RELEASE_URL (a released omnibus .deb)"
                    exit 1
                  fi
                  git init --quiet /usr/local/src/omnibus
                  git -C /usr/local/src/omnibus fetch --quiet --depth 1 "$OMNIBUS_REPOSITORY" "$OMNIBUS_REF"
                  git -C /usr/local/src/omnibus checkout --quiet --detach FETCH_HEAD
                  echo "commit=$(git -C /usr/local/src/omnibus rev-parse HEAD)" >> "$GITHUB_OUTPUT"
              - name: Restore the omnibus build
                if: env.OMNIBUS_RELEASE_URL == ''
                uses: actions/cache@v4
                with:
                  path: /usr/local/src/omnibus/.build
                  key: omnibus-tool-${{ runner.os }}-${{ steps.omnibus-source.outputs.commit }}
              - name: Build omnibus
                if: env.OMNIBUS_RELEASE_URL == ''
                run: |
                  swift build -c release --package-path /usr/local/src/omnibus --product omnibus
                  # Run from its source tree, omnibus finds the software library beside it (Software/).
                  ln -sf "$(swift build -c release --package-path /usr/local/src/omnibus --show-bin-path)/omnibus" /usr/local/bin/omnibus
                  omnibus --help >/dev/null
              - name: Restore the omnibus cache
                uses: actions/cache@v4
                with:
                  path: /var/cache/omnibus
                  # A change to a definition saves a new cache; unchanged layers still come from the last one.
                  key: omnibus-cache-${{ runner.os }}-${{ hashFiles('Projects/**', 'Software/**', 'omnibus.config.yml', 'omnibus.config.yaml') }}
                  restore-keys: omnibus-cache-${{ runner.os }}-
              - name: Build \(name)
                run: |
                  git config --global --add safe.directory "$PWD"
                  omnibus build \(name)
              - name: Keep the packages
                uses: actions/upload-artifact@v4
                with:
                  name: \(name)-packages
                  path: pkg/
                  if-no-files-found: error
              - name: Keep the build logs
                if: failure()
                uses: actions/upload-artifact@v4
                with:
                  name: \(name)-logs
                  path: /var/tmp/omnibus-work/\(name)/logs/
                  if-no-files-found: ignore

        """
    }

    var readme: String {
        """
        # \(name) packaging

        This repository builds the `\(name)` package with omnibus:
        everything the package needs is compiled from pinned sources into `/opt/\(name)`, checked
        so that nothing links against the build machine, and written as `.deb`, `.rpm` and
        `.tar.gz`.

        ## Layout

        | path | what it is |
        |---|---|
        | `Projects/\(name).yml` | the project: package name, version, maintainer, install dir, what it bundles |
        | `Software/hello.yml` | how the example program is fetched and built (each key is commented) |
        | `src/hello/` | the example program's source (a `path` source, so the build works offline) |
        | `PackageScripts/\(name)/` | `postinst` for both deb and rpm; add `preinst` (before unpacking), `prerm` (before removal), `postrm` (after removal) beside it when needed, and files the package ships outside `/opt/\(name)` (unit files, configuration) to list under `files:` |
        | `.github/workflows/package.yml` | CI: builds omnibus (from the source or release you name in repository variables, see the comments at its top), builds the packages with the omnibus cache kept between runs, uploads `pkg/`, and the logs when a build fails |

        Software not found in `Software/` is taken from the library that ships with omnibus
        (`omnibus list` shows what is available).

        ## Build

        ```sh
        omnibus validate          # checks every definition, with file:line:column for each problem
        omnibus build \(name)        # fetch, build into /opt/\(name), health-check, package
        ```

        The build needs to write to `/opt/\(name)`: run it as root, or once
        `sudo install -d -o "$(id -un)" /opt/\(name)`. Logs are in
        `~/.cache/omnibus/work/\(name)/logs/`; unchanged software is restored from the cache on the
        next build.

        Packages are dated at this repository's last commit (`omnibus new` made the first one), so
        the same commit gives the same bytes; commit before you build a release.

        ## Packages

        `pkg/` receives the packages, each with a `.metadata.json` (name, version, checksums) and
        the version manifest of everything inside.

        ## Try a package

        <!-- illustrative -->
        ```sh
        sudo dpkg -i pkg/\(name)_0.1.0-1_amd64.deb
        hello                      # /usr/bin/hello, a link the package owns (files: in the project)
        sudo dpkg -r \(name)          # removes the link with the rest

        sudo rpm -i pkg/\(name)-0.1.0-1.x86_64.rpm
        sudo rpm -e \(name)
        ```

        ## Next steps

        - Add software: copy `Software/hello.yml`, point `source:` at a release tarball with its
          `sha256`, and list it in `dependencies:`.
        - Release: bump `version:` (or use `{ from: git }` and tag), commit, and let CI build.

        ## Documentation

        `omnibus help` lists the commands and `omnibus help <command>` (or `omnibus <command> --help`)
        gives each one's options. Every definition key, the build environment, packaging and
        releasing are described in the `docs/` directory of the omnibus source tree
        (`docs/definitions.md` first).

        """
    }
}
