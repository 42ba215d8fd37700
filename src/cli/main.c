/* placeholder replaced by the CLI */
#include <stdio.h>
int main(void) { puts("mkdom0"); return 0; }
