/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tls.c - a self-signed certificate for the dashboard's HTTPS, made with GnuTLS: ECDSA P-256,
 * valid 5 years, for the names and addresses given. The key is written mode 0600 through a
 * temp file and rename, so a failure never leaves half a key.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "common/common.h"
#include "appliance/tls_int.h"

#include "common/banned.h"

static int write_atomic(const char *path, const gnutls_datum_t *d, mode_t mode)
{
    char *tmp = ww_asprintf("%s.tmp%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
    int ret = -EIO;

    if (fd < 0) {
        ret = ww_error(-errno, "tls: cannot create '%s': %s", tmp, strerror(errno));
        goto out;
    }
    if (write(fd, d->data, d->size) != (ssize_t)d->size || fsync(fd) < 0) {
        ret = ww_error(-EIO, "tls: cannot write '%s': %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        goto out;
    }
    close(fd);
    if (rename(tmp, path) < 0) {
        ret = ww_error(-EIO, "tls: cannot rename to '%s': %s", path, strerror(errno));
        unlink(tmp);
        goto out;
    }
    ret = 0;
out:
    free(tmp);
    return ret;
}

int app_tls_self_signed(const char *cert_path, const char *key_path, const char *common_name)
{
    gnutls_x509_privkey_t key = NULL;
    gnutls_x509_crt_t crt = NULL;
    gnutls_datum_t key_pem = {NULL, 0}, crt_pem = {NULL, 0};
    unsigned char serial[16];
    unsigned char lo4[4] = {127, 0, 0, 1};
    time_t now = time(NULL);
    int ret = -EIO, rc;

#define G(call)                                                                                \
    do {                                                                                       \
        if ((rc = (call)) < 0) {                                                               \
            ret = ww_error(-EIO, "tls: %s: %s", #call, gnutls_strerror(rc));                   \
            goto out;                                                                          \
        }                                                                                      \
    } while (0)

    G(gnutls_x509_privkey_init(&key));
    G(gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
                                   GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0));
    G(gnutls_x509_crt_init(&crt));
    G(gnutls_x509_crt_set_version(crt, 3));
    G(gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial)));
    serial[0] &= 0x7f; /* a positive serial number */
    G(gnutls_x509_crt_set_serial(crt, serial, sizeof(serial)));
    G(gnutls_x509_crt_set_activation_time(crt, now - 3600));
    G(gnutls_x509_crt_set_expiration_time(crt, now + 5L * 366 * 86400));
    G(gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, common_name,
                                    (unsigned)strlen(common_name)));
    G(gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0, "wardwatch", 9));
    G(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, common_name,
                                           (unsigned)strlen(common_name), GNUTLS_FSAN_APPEND));
    G(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, "localhost", 9,
                                           GNUTLS_FSAN_APPEND));
    G(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, lo4, 4,
                                           GNUTLS_FSAN_APPEND));
    G(gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE));
    G(gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0));
    G(gnutls_x509_crt_set_basic_constraints(crt, 0, -1));
    G(gnutls_x509_crt_set_key(crt, key));
    G(gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0));
    G(gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &key_pem));
    G(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &crt_pem));
#undef G
    ret = write_atomic(key_path, &key_pem, 0600);
    if (ret == 0)
        ret = write_atomic(cert_path, &crt_pem, 0644);
out:
    if (key_pem.data) {
        gnutls_memset(key_pem.data, 0, key_pem.size);
        gnutls_free(key_pem.data);
    }
    gnutls_free(crt_pem.data);
    if (crt)
        gnutls_x509_crt_deinit(crt);
    if (key)
        gnutls_x509_privkey_deinit(key);
    return ret;
}
