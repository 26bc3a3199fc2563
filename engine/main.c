#include <stdio.h>

int main(void)
{
    fputs("ecpolicy: under construction\n", stderr);
    return 2;
}
