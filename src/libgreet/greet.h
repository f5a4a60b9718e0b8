#ifndef GREET_H
#define GREET_H

/* Writes a greeting for `name` into `out` (at most `size` bytes, always terminated). */
int greet_format(char *out, unsigned long size, const char *name);

/* The library's version string, so callers can show which copy the loader picked. */
const char *greet_version(void);

#endif
