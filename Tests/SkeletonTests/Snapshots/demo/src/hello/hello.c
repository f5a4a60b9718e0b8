#include <stdio.h>
#include <string.h>

#ifndef HELLO_VERSION
#define HELLO_VERSION "1.0.0"
#endif

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("hello %s (demo)\n", HELLO_VERSION);
        return 0;
    }
    printf("Hello from demo!\n");
    return 0;
}
