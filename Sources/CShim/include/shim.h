#ifndef SHOPDECK_SHIM_H
#define SHOPDECK_SHIM_H
int shim_placeholder(void);
#endif
