#include <stdio.h>
#include <string.h>
#include <greet.h>

int main(int argc, char **argv)
{
    char line[256];
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("greet (libgreet %s)\n", greet_version());
        return 0;
    }
    greet_format(line, sizeof line, argc > 1 ? argv[1] : NULL);
    puts(line);
    return 0;
}
