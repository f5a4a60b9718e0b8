#include <archive.h>
#include <archive_entry.h>
// liblzma's block, index and stream-flag coders: the xz stream of independently compressed
// blocks (`XZBlocks`) that libarchive's filter cannot write.
#include <lzma.h>
