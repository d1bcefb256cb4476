/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tls_int.h - self-signed certificate for the dashboard (appliance/tls.c). */
#ifndef WW_APP_TLS_INT_H
#define WW_APP_TLS_INT_H

/*
 * app_tls_self_signed() - write a new ECDSA P-256 key (mode 0600) and a self-signed
 * certificate for @common_name, localhost and 127.0.0.1, valid 5 years.
 * Returns 0 or a negative errno; nothing is left half-written.
 */
int app_tls_self_signed(const char *cert_path, const char *key_path, const char *common_name);

#endif
