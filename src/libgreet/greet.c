#include <stdio.h>
#include "greet.h"

#ifndef GREET_VERSION
#define GREET_VERSION "unknown"
#endif

int greet_format(char *out, unsigned long size, const char *name)
{
    return snprintf(out, size, "Hello, %s!", name && *name ? name : "world");
}

const char *greet_version(void)
{
    return GREET_VERSION;
}
