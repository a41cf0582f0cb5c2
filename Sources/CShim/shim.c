#include "shim.h"
int shim_placeholder(void){return 0;}
