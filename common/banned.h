/* SPDX-License-Identifier: GPL-3.0-or-later */
/* banned.h - functions that invite overflows or hidden global state; use the ww_ helpers. */
#ifndef WW_BANNED_H
#define WW_BANNED_H

#define WW_BANNED(func) sorry_##func##_is_banned_in_wardwatch

#undef strcpy
#define strcpy(x, y) WW_BANNED(strcpy)
#undef strcat
#define strcat(x, y) WW_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) WW_BANNED(strncpy)
#undef sprintf
#define sprintf(...) WW_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) WW_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) WW_BANNED(strtok)
#undef atoi
#define atoi(x) WW_BANNED(atoi)
#undef atol
#define atol(x) WW_BANNED(atol)
#undef gmtime
#define gmtime(t) WW_BANNED(gmtime)
#undef localtime
#define localtime(t) WW_BANNED(localtime)
#undef ctime
#define ctime(t) WW_BANNED(ctime)
#undef asctime
#define asctime(t) WW_BANNED(asctime)

#endif
