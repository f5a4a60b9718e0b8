#include <archive.h>
#include <archive_entry.h>
// liblzma's block, index and stream-flag coders: the xz stream of independently compressed
// blocks (`XZBlocks`) that libarchive's filter cannot write.
#include <lzma.h>
// unshare(CLONE_FS) for the thread that runs libarchive's disk writer (see ArchiveExtractor):
// Swift's Glibc module does not declare unshare, which needs _GNU_SOURCE.
#include <sys/syscall.h>
#include <unistd.h>
static inline int omnibus_unshare_fs(void) {
    return (int)syscall(SYS_unshare, 0x00000200 /* CLONE_FS */);
}
