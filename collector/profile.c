/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * profile.c - what a poll's raw tables mean for people: CPU load and count, memory, the
 * fullest disk, the OS name, printer supplies. Pure functions of a struct coll_result,
 * unit-tested with tables of cases.
 */
#include "collector/collector.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/banned.h"

enum { HR_RAM = 2, HR_VIRTUAL = 3, HR_FIXED_DISK = 4, HR_PROCESSOR = 3 };
/* the longest OS name taken from a description's first line, in bytes */
#define OS_NAME_MAX 120

/* a disk people fill: Linux agents also report memory-backed and system file systems as
 * "fixed disks" */
bool coll_real_disk(const struct coll_storage *s)
{
    static const char *const pseudo[] = {"/dev/shm", "/run", "/sys/", "/proc", "/dev"};
    if (s->type != HR_FIXED_DISK || !s->size || !s->units)
        return false;
    for (size_t i = 0; s->descr && i < WW_ARRAY_SIZE(pseudo); i++)
        if (strncmp(s->descr, pseudo[i], strlen(pseudo[i])) == 0 &&
            (s->descr[strlen(pseudo[i])] == '\0' || s->descr[strlen(pseudo[i])] == '/' ||
             pseudo[i][strlen(pseudo[i]) - 1] == '/'))
            return false;
    return true;
}

void coll_summarize(const struct coll_result *r, struct coll_host_summary *out)
{
    long long loads = 0, nload = 0, cpus = 0;
    bool used_unknown = false;

    out->cpu_load_pct = NAN;
    out->cpu_count = -1;
    out->cpu_model = NULL;
    out->mem_total = out->mem_used = out->ram_bytes = NAN;
    out->disk_max_pct = out->disk_total = out->disk_used = NAN;

    for (size_t i = 0; i < r->n_hrdev; i++) {
        const struct coll_hrdev *h = &r->hrdev[i];
        if (h->type != HR_PROCESSOR)
            continue;
        cpus++;
        if (!out->cpu_model && h->descr && *h->descr)
            out->cpu_model = h->descr;
        if (h->has_load && h->load >= 0 && h->load <= 100) { /* no reading: unknown, not 0 */
            loads += h->load;
            nload++;
        }
    }
    if (cpus)
        out->cpu_count = cpus;
    if (nload)
        out->cpu_load_pct = (double)loads / (double)nload;

    /* memory: UCD-SNMP (Linux) counts buffers and cache as free; else the hrStorage RAM row */
    if (r->ucd_total_kb > 0 && r->ucd_avail_kb >= 0) {
        double used = (double)(r->ucd_total_kb - r->ucd_avail_kb);
        if (r->ucd_buffer_kb > 0)
            used -= (double)r->ucd_buffer_kb;
        if (r->ucd_cached_kb > 0)
            used -= (double)r->ucd_cached_kb;
        out->mem_total = (double)r->ucd_total_kb * 1024.0;
        out->mem_used = used > 0 ? used * 1024.0 : 0;
    } else {
        for (size_t i = 0; i < r->n_storage; i++) {
            const struct coll_storage *s = &r->storage[i];
            if (s->type == HR_RAM && s->size) {
                out->mem_total = (double)s->size * (double)s->units;
                out->mem_used = s->has_used ? (double)s->used * (double)s->units : NAN;
                break;
            }
        }
    }
    if (isnan(out->mem_total) && r->hr_memory_kb > 0)
        out->mem_total = (double)r->hr_memory_kb * 1024.0;
    out->ram_bytes = r->hr_memory_kb > 0 ? (double)r->hr_memory_kb * 1024.0 : out->mem_total;

    for (size_t i = 0; i < r->n_storage; i++) {
        const struct coll_storage *s = &r->storage[i];
        double size, used, pct;
        if (!coll_real_disk(s))
            continue;
        size = (double)s->size * (double)s->units;
        out->disk_total = isnan(out->disk_total) ? size : out->disk_total + size;
        if (!s->has_used) { /* its use is unknown: so is the total use, not "0 used" */
            used_unknown = true;
            continue;
        }
        used = (double)s->used * (double)s->units;
        pct = 100.0 * used / size;
        out->disk_used = isnan(out->disk_used) ? used : out->disk_used + used;
        if (isnan(out->disk_max_pct) || pct > out->disk_max_pct)
            out->disk_max_pct = pct;
    }
    if (used_unknown)
        out->disk_used = NAN;
}

/* Windows build numbers as people name them */
static const char *windows_name(long build)
{
    if (build >= 22000)
        return "Windows 11";
    if (build >= 10240)
        return "Windows 10";
    if (build >= 9600)
        return "Windows 8.1";
    if (build >= 9200)
        return "Windows 8";
    if (build >= 7600)
        return "Windows 7";
    if (build >= 6000)
        return "Windows Vista";
    if (build >= 3790) /* NT 5.2: Server 2003 (and XP x64, built from it) */
        return "Windows Server 2003";
    if (build >= 2600)
        return "Windows XP";
    return "Windows";
}

/* the server editions: the same builds as the desktop ones, told apart only by the
 * agent's sysObjectID (Microsoft's 1.3.6.1.4.1.311.1.1.3.1.2 server, .3 domain controller) */
static const char *windows_server_name(long build)
{
    static const struct {
        long build;
        const char *name;
    } eds[] = {{26100, "Windows Server 2025"},   {20348, "Windows Server 2022"},
               {17763, "Windows Server 2019"},   {14393, "Windows Server 2016"},
               {9600, "Windows Server 2012 R2"}, {9200, "Windows Server 2012"},
               {7600, "Windows Server 2008 R2"}, {6001, "Windows Server 2008"},
               {3790, "Windows Server 2003"},    {2195, "Windows 2000 Server"}};
    for (size_t i = 0; i < WW_ARRAY_SIZE(eds); i++)
        if (build >= eds[i].build)
            return eds[i].name;
    return "Windows Server";
}

void coll_os_name_edition(struct coll_result *r)
{
    static const char *const server_oids[] = {"1.3.6.1.4.1.311.1.1.3.1.2",
                                              "1.3.6.1.4.1.311.1.1.3.1.3"};
    const char *b;
    bool server = false;
    long build;

    if (!r->os_name || !r->sys_object_id || strncmp(r->os_name, "Windows", 7) != 0 ||
        strstr(r->os_name, "Server"))
        return;
    for (size_t i = 0; i < WW_ARRAY_SIZE(server_oids); i++) {
        size_t n = strlen(server_oids[i]);
        if (strncmp(r->sys_object_id, server_oids[i], n) == 0 &&
            (r->sys_object_id[n] == '\0' || r->sys_object_id[n] == '.'))
            server = true;
    }
    if (!server || !(b = strstr(r->os_name, "(build ")))
        return;
    build = strtol(b + 7, NULL, 10);
    if (build <= 0)
        return;
    free(r->os_name);
    r->os_name = ww_asprintf("%s (build %ld)", windows_server_name(build), build);
}

/* "<system> <host> <release> ...": uname -a, as net-snmp and most Unix agents say it; some
 * (Ubiquiti airOS, old kernels) leave the host name out: "Linux 2.6.32.61 #1 ...". The
 * release is the word shaped like one (a digit first, a dot inside), the third word first */
static char *unix_name(const char *d, size_t sys_len)
{
    const char *w[2], *p = d + sys_len;
    size_t n[2];

    for (int i = 0; i < 2; i++) {
        p += strspn(p, " \t"); /* words of the first line only */
        w[i] = p;
        n[i] = strcspn(p, " \t\n");
        p += n[i];
    }
    for (int i = 1; i >= 0; i--)
        if (n[i] > 0 && n[i] < 80 && isdigit((unsigned char)w[i][0]) && memchr(w[i], '.', n[i]))
            return ww_asprintf("%.*s %.*s", (int)sys_len, d, (int)n[i], w[i]);
    return ww_strndup(d, sys_len);
}

/* the first line of @d, at most OS_NAME_MAX bytes: a longer one is cut at its last space
 * before the limit (or, one long word, at a character boundary), never mid-word or
 * mid-character; NULL when it is empty */
static char *first_line(const char *d)
{
    size_t n;

    d += strspn(d, " \t");
    n = strcspn(d, "\r\n");
    if (n > OS_NAME_MAX) {
        size_t k = OS_NAME_MAX;
        while (k > 0 && d[k] != ' ' && d[k] != '\t')
            k--;
        if (k == 0)
            for (k = OS_NAME_MAX; k > 0 && ((unsigned char)d[k] & 0xc0) == 0x80; k--)
                ;
        n = k;
    }
    while (n > 0 && strchr(" \t,;", d[n - 1]))
        n--;
    return n ? ww_strndup(d, n) : NULL;
}

char *coll_os_name(const char *d)
{
    static const char *const unix_systems[] = {"Linux",     "FreeBSD", "NetBSD", "OpenBSD",
                                               "DragonFly", "Darwin",  "SunOS"};
    const char *p;

    if (!d)
        return NULL;
    if ((p = strstr(d, "Software: Windows")) || (p = strstr(d, "Windows 2000 Version")) ||
        (p = strstr(d, "Windows Version"))) {
        const char *b = strstr(p, "Build ");
        long build = b ? strtol(b + 6, NULL, 10) : 0;
        if (build > 0)
            return ww_asprintf("%s (build %ld)", windows_name(build), build);
        return ww_strdup("Windows");
    }
    for (size_t i = 0; i < WW_ARRAY_SIZE(unix_systems); i++) {
        size_t n = strlen(unix_systems[i]);
        if (strncmp(d, unix_systems[i], n) == 0 && d[n] == ' ')
            return unix_name(d, n);
    }
    /* Huawei: the model on the first line, the system on a later one: "VRP (R) software,
     * Version 5.160 (S5720 V200R007C00SPC500)" */
    if ((p = strstr(d, "VRP (R) software,")) &&
        strncmp(p += 17 + strspn(p + 17, " "), "Version ", 8) == 0) {
        char *rest = first_line(p + 8), *os = rest ? ww_asprintf("VRP %s", rest) : NULL;
        free(rest);
        if (os)
            return os;
    }
    return first_line(d);
}

/* a byte count as a JSON number, or null when it is none a disk can have (an agent's
 * size x units beyond 2^63: a JSON reader refuses so big an integer) */
static int bytes_json(struct ww_buf *b, double v)
{
    return v >= 0 && v < 9.0e18 ? ww_buf_addf(b, "%.0f", v) : ww_buf_addstr(b, "null");
}

char *coll_disks_json(const struct coll_result *r)
{
    struct ww_buf b;
    bool first = true;

    ww_buf_init(&b, 64 * 1024);
    ww_buf_addstr(&b, "[");
    for (size_t i = 0; i < r->n_storage; i++) {
        const struct coll_storage *s = &r->storage[i];
        if (!coll_real_disk(s))
            continue;
        if (ww_buf_addstr(&b, first ? "{\"descr\":" : ",{\"descr\":") < 0 ||
            ww_buf_add_json_string(&b, s->descr ? s->descr : "") < 0 ||
            ww_buf_addstr(&b, ",\"size_bytes\":") < 0 ||
            bytes_json(&b, (double)s->size * (double)s->units) < 0 ||
            ww_buf_addstr(&b, ",\"used_bytes\":") < 0 ||
            (s->has_used ? bytes_json(&b, (double)s->used * (double)s->units)
                         : ww_buf_addstr(&b, "null")) < 0 ||
            ww_buf_addstr(&b, "}") < 0)
            break;
        first = false;
    }
    if (ww_buf_addstr(&b, "]") < 0) {
        ww_buf_release(&b);
        return ww_strdup("[]");
    }
    return ww_buf_detach(&b);
}

/* the codes of enum coll_supply_state, stored in the printer_supplies fact: never rename */
static const char *const supply_states[] = {"known", "some_remaining", "unknown", "no_limit"};
_Static_assert(WW_ARRAY_SIZE(supply_states) == COLL_SUPPLY_NO_LIMIT + 1, "a code per state");

enum coll_supply_state coll_supply_state(const struct coll_supply *s, double *out_pct)
{
    *out_pct = NAN;
    if (!s->has_level)
        return COLL_SUPPLY_UNKNOWN; /* no reading is no level, not an empty one */
    if (s->level == -3)
        return COLL_SUPPLY_SOME_REMAINING;
    if (s->level == -1)
        return COLL_SUPPLY_NO_LIMIT;
    if (s->level < 0 || s->max <= 0)
        return COLL_SUPPLY_UNKNOWN; /* -2, or units of a maximum it does not tell */
    if (s->level > s->max)
        return COLL_SUPPLY_UNKNOWN; /* more than full: a reading not to trust (a fuzzer's
                                       2^64 of 1 gave a "level" JSON cannot hold) */
    *out_pct = 100.0 * (double)s->level / (double)s->max;
    return COLL_SUPPLY_KNOWN;
}

const char *coll_supply_state_name(enum coll_supply_state st)
{
    return (unsigned)st < WW_ARRAY_SIZE(supply_states) ? supply_states[st] : "unknown";
}

double coll_supplies_min_pct(const struct coll_result *r)
{
    double min = NAN, pct;

    for (size_t i = 0; i < r->n_supplies; i++)
        if (coll_supply_state(&r->supplies[i], &pct) == COLL_SUPPLY_KNOWN &&
            (isnan(min) || pct < min))
            min = pct;
    return min;
}

char *coll_supplies_json(const struct coll_result *r)
{
    struct ww_buf b;
    bool first = true;

    ww_buf_init(&b, 64 * 1024);
    ww_buf_addstr(&b, "[");
    for (size_t i = 0; i < r->n_supplies; i++) {
        const struct coll_supply *s = &r->supplies[i];
        enum coll_supply_state st;
        size_t mark = b.len;
        double pct;

        st = coll_supply_state(s, &pct);
        if (ww_buf_addstr(&b, first ? "{\"descr\":" : ",{\"descr\":") < 0 ||
            ww_buf_add_json_string(&b, s->descr ? s->descr : "") < 0 ||
            (isnan(pct) ? ww_buf_addstr(&b, ",\"level_pct\":null")
                        : ww_buf_addf(&b, ",\"level_pct\":%.0f", pct)) < 0 ||
            ww_buf_addf(&b, ",\"state\":\"%s\"}", coll_supply_state_name(st)) < 0) {
            b.len = mark; /* full: the rows before it, whole */
            b.data[mark] = '\0';
            break;
        }
        first = false;
    }
    if (ww_buf_addstr(&b, "]") < 0) {
        ww_buf_release(&b);
        return ww_strdup("[]");
    }
    return ww_buf_detach(&b);
}
