import Archive

/// The POSIX shell script at the start of a `.sh` installer. Everything it needs to know about
/// the data behind it (sizes, checksum, package facts) is written into it as quoted
/// assignments; the rest of the text is fixed, so the same package gives the same header.
///
/// Layout of the file: this header (`headerSize` bytes, ending with `exit`), then the preinst
/// bytes, the postinst bytes and the compressed tar payload, back to back. The SHA-256 covers
/// everything after the header, so a changed script is refused like a changed payload.
struct ShHeader {
    var name: String
    var version: String
    var summary: String
    var installDir: String
    var architecture: String
    var compression: ArchiveCompression.Algorithm
    var preinstSize: Int64
    var postinstSize: Int64
    var payloadSize: Int64
    /// Hex SHA-256 of the preinst, postinst and payload bytes, in that order.
    var sha256: String
    /// Absolute paths of the configuration files (conffiles): an existing one is kept.
    var configFiles: [String] = []

    /// The header text. Its own length is written into it (`header_size`), so the length is
    /// found by iterating: the text grows only with the digits of that number, so it settles
    /// after at most a few rounds.
    var text: String {
        var size = 0
        while true {
            let candidate = render(headerSize: size)
            let length = candidate.utf8.count
            if length == size { return candidate }
            size = length
        }
    }

    /// The command that decompresses standard input, and the Debian package that provides it.
    private var decompressor: (command: String, tool: String, debianPackage: String) {
        switch compression {
        case .gzip: ("gzip -dc", "gzip", "gzip")
        case .xz: ("xz -dc", "xz", "xz-utils")
        case .zstd: ("zstd -dcq", "zstd", "zstd")
        }
    }

    private func render(headerSize: Int) -> String {
        let q = MaintainerScripts.shellQuoted
        let tool = decompressor
        return #"""
        #!/bin/sh
        # Self-extracting installer of \#(name) \#(version), written by omnibus.
        # Run it with --help for the options. The data after this script (the maintainer scripts
        # and a \#(compression.rawValue) tar archive) is checked against the SHA-256 below before any of it is used.
        set -eu
        umask 022

        name=\#(q(name))
        version=\#(q(version))
        summary=\#(q(summary))
        install_dir=\#(q(installDir))
        architecture=\#(q(architecture))
        compression=\#(compression.rawValue)
        decompressor=\#(tool.tool)
        decompressor_package=\#(tool.debianPackage)
        header_size=\#(headerSize)
        preinst_size=\#(preinstSize)
        postinst_size=\#(postinstSize)
        payload_size=\#(payloadSize)
        sha256=\#(sha256)
        # One per line; an admin's copy of these is kept over the packaged one.
        config_files=\#(q(configFiles.joined(separator: "\n")))

        program=${0##*/}
        work=''

        usage() {
          printf '%s\n' \
            "Usage: sh $program [options]" \
            "Installs $name $version into $install_dir: verifies the data, runs the preinst," \
            "unpacks the files into / and runs the postinst ('configure'). Needs root." \
            "" \
            "Options:" \
            "  --target DIR  unpack under DIR instead of / (no root needed); the scripts are not" \
            "                run, because they act on $install_dir itself" \
            "  --noexec      unpack only, do not run the preinst and postinst" \
            "  --check       verify the size and SHA-256 of the data, unpack nothing" \
            "  --list        verify, then list the paths in the archive" \
            "  --info        print what this installer holds" \
            "  --quiet, -q   print only errors" \
            "  --help, -h    print this help" \
            "  --keep, --noprogress, --nox11" \
            "                accepted for makeself compatibility; they change nothing here"
        }

        fail() {
          printf '%s: %s\n' "$program" "$*" >&2
          exit 1
        }

        usage_error() {
          printf '%s: %s\n' "$program" "$*" >&2
          usage >&2
          exit 2
        }

        say() {
          [ "$quiet" = yes ] || printf '%s\n' "$*"
        }

        action=install
        target=/
        run_scripts=yes
        quiet=no

        choose() {
          [ "$action" = install ] || [ "$action" = "$1" ] || usage_error "choose one of --check, --list and --info"
          action=$1
        }

        while [ "$#" -gt 0 ]; do
          case $1 in
            --help|-h) usage; exit 0 ;;
            --info) choose info ;;
            --list) choose list ;;
            --check) choose check ;;
            --noexec) run_scripts=no ;;
            --quiet|-q) quiet=yes ;;
            --target)
              [ "$#" -ge 2 ] || usage_error "--target needs a directory"
              target=$2
              shift ;;
            --target=*) target=${1#--target=} ;;
            --keep|--noprogress|--nox11) ;;
            --) shift; [ "$#" -eq 0 ] || usage_error "unexpected argument: $1"; break ;;
            *) usage_error "unknown option: $1" ;;
          esac
          shift
        done
        [ -n "$target" ] || usage_error "--target needs a directory"

        data_start=$((header_size + 1))
        payload_start=$((data_start + preinst_size + postinst_size))
        total_size=$((header_size + preinst_size + postinst_size + payload_size))

        case $0 in
          */*) self=$0 ;;
          *) self=./$0 ;;
        esac
        [ -f "$self" ] && [ -r "$self" ] || fail "cannot read the installer file itself ($0): run it from a file (sh ./$program), not from a pipe"

        if [ "$action" = info ]; then
          printf '%s\n' \
            "Name:         $name" \
            "Version:      $version" \
            "Summary:      $summary" \
            "Installs to:  $install_dir" \
            "Architecture: $architecture" \
            "Compression:  $compression (the target needs $decompressor, tar, sha256sum, tail, head, wc, id, mktemp)" \
            "Scripts:      preinst $preinst_size bytes, postinst $postinst_size bytes" \
            "Payload:      $payload_size bytes" \
            "SHA-256:      $sha256"
          exit 0
        fi

        sha256_of_data() {
          if command -v sha256sum >/dev/null 2>&1; then
            tail -c +"$data_start" "$self" | sha256sum
          elif command -v shasum >/dev/null 2>&1; then
            tail -c +"$data_start" "$self" | shasum -a 256
          else
            tail -c +"$data_start" "$self" | openssl dgst -sha256 -r
          fi
        }

        verify() {
          if ! command -v sha256sum >/dev/null 2>&1 && ! command -v shasum >/dev/null 2>&1 \
              && ! command -v openssl >/dev/null 2>&1; then
            fail "cannot verify the data: none of sha256sum, shasum or openssl is installed; nothing was unpacked"
          fi
          # A listing stays only the paths.
          [ "$action" = list ] || say "Verifying $program..."
          actual_size=$(wc -c < "$self") || fail "cannot read $self"
          actual_size=$((actual_size))
          if [ "$actual_size" -lt "$total_size" ]; then
            fail "$self is truncated ($actual_size bytes, expected $total_size); download it again. Nothing was unpacked."
          elif [ "$actual_size" -gt "$total_size" ]; then
            fail "$self has $((actual_size - total_size)) bytes more than expected ($total_size); it was changed. Nothing was unpacked."
          fi
          actual_sum=$(sha256_of_data) || fail "cannot compute the SHA-256 of $self"
          actual_sum=${actual_sum%% *}
          [ "$actual_sum" = "$sha256" ] || fail "$self is corrupted: SHA-256 $actual_sum, expected $sha256; download it again. Nothing was unpacked."
        }

        need() {
          command -v "$1" >/dev/null 2>&1 || fail "needs '$1' to unpack (Debian package $2); nothing was unpacked"
        }

        payload() {
          tail -c +"$payload_start" "$self" | \#(tool.command)
        }

        verify
        if [ "$action" = check ]; then
          say "$program: size and SHA-256 are correct"
          exit 0
        fi
        need "$decompressor" "$decompressor_package"
        need tar tar
        if [ "$action" = list ]; then
          payload | tar -tf - || fail "cannot list the archive"
          exit 0
        fi

        if [ "$target" != / ]; then
          run_scripts=no
        elif [ "$(id -u)" != 0 ]; then
          fail "installing into / needs root: run it as root, or unpack elsewhere (without running the scripts) with --target DIR"
        fi

        # An interrupt between setting configuration files aside and putting them back must not
        # lose them: the exit trap puts them back too.
        configs_aside=no
        cleanup() {
          [ "$configs_aside" = no ] || restore_configs
          [ -z "$work" ] || rm -rf "$work"
        }
        trap cleanup EXIT
        trap 'exit 130' INT
        trap 'exit 143' TERM

        if [ "$run_scripts" = yes ] && [ "$((preinst_size + postinst_size))" -gt 0 ]; then
          work=$(mktemp -d) || fail "cannot create a temporary directory (set TMPDIR?)"
          tail -c +"$data_start" "$self" | head -c "$preinst_size" > "$work/preinst"
          tail -c +"$((data_start + preinst_size))" "$self" | head -c "$postinst_size" > "$work/postinst"
        fi

        # Runs a script with the interpreter its #! line names (sh without one), so that a
        # temporary directory mounted noexec does not matter.
        run_script() {
          [ "$run_scripts" = yes ] && [ -n "$work" ] && [ -s "$work/$1" ] || return 0
          say "Running the $1..."
          interpreter=sh
          IFS= read -r first_line < "$work/$1" || true
          case $first_line in
            '#!'*) interpreter=${first_line#??} ;;
          esac
          status=0
          # The #! line is one program and at most one argument: split it on blanks on purpose.
          (cd / && exec $interpreter "$work/$1" "$2") || status=$?
          [ "$status" -eq 0 ] || fail "the $1 failed (exit status $status); $3"
        }

        # Configuration files as dpkg and rpm treat them: a copy already there (an admin's edit,
        # an earlier install) is set aside before unpacking and put back after; a packaged copy
        # that differs goes beside it as <file>.new, as rpm's .rpmnew.
        # A .omnibus-kept left by an interrupted run is the admin's copy: it is never replaced.
        keep_configs() {
          printf '%s\n' "$config_files" | while IFS= read -r path; do
            [ -n "$path" ] && [ -f "$target$path" ] && [ ! -L "$target$path" ] || continue
            [ ! -e "$target$path.omnibus-kept" ] || continue
            mv -f "$target$path" "$target$path.omnibus-kept" || fail "cannot set $target$path aside"
          done
        }
        restore_configs() {
          printf '%s\n' "$config_files" | while IFS= read -r path; do
            kept="$target$path.omnibus-kept"
            [ -n "$path" ] && [ -f "$kept" ] || continue
            if [ ! -e "$target$path" ] || { command -v cmp >/dev/null 2>&1 && cmp -s "$kept" "$target$path"; }; then
              mv -f "$kept" "$target$path"
            else
              mv -f "$target$path" "$target$path.new" && mv -f "$kept" "$target$path"
              say "Kept the existing $path; the packaged version is $path.new"
            fi
          done
        }

        run_script preinst install "nothing was unpacked"
        mkdir -p "$target" || fail "cannot create $target"
        say "Unpacking $name $version into $target..."
        configs_aside=yes
        keep_configs
        # GNU tar replaces a symlink that stands where the archive has a directory (an install
        # dir linked to a bigger disk, say) unless told to keep it; other tars follow it.
        if tar --help 2>/dev/null | grep -q -e --keep-directory-symlink; then
          payload | tar -xpf - --keep-directory-symlink -C "$target" || fail "unpacking into $target failed; it may be partly unpacked"
        else
          payload | tar -xpf - -C "$target" || fail "unpacking into $target failed; it may be partly unpacked"
        fi
        restore_configs
        configs_aside=no
        run_script postinst configure "the files are unpacked into $install_dir but not set up"
        if [ "$run_scripts" = yes ]; then
          say "Installed $name $version into $install_dir"
        else
          say "Unpacked $name $version under $target (scripts not run)"
        fi
        exit 0

        """#
    }
}
