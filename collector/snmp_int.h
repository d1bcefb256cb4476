/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * snmp_int.h - inside the SNMP engine (snmp*.c, usm_probe.c): the OID tables, one device's
 * poll state (struct dev), counter-poll shapes, kept sessions and the engine itself, and the
 * functions the engine's files call in each other. Nothing else includes it (but unit tests).
 * Context: everything here runs on the one thread that owns the engine.
 */
#ifndef WW_SNMP_INT_H
#define WW_SNMP_INT_H

#include <poll.h>
#include <sys/socket.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include "collector/collector.h"
#include "collector/collector_int.h"

#define BULK_BUDGET 48 /* varbinds asked for per GETBULK: rows x columns */
#define MAX_COLS 16

/* ---- tables (snmp_tables.c) ------------------------------------------------------------------ */

/* the scalars asked for in the first GET: system group, then whatever profile answers */
enum scalar_kind { SC_DESCR, SC_OBJECTID, SC_UPTIME, SC_CONTACT, SC_NAME, SC_LOCATION,
                   SC_HR_MEM, SC_UCD_TOTAL, SC_UCD_AVAIL, SC_UCD_BUFFER, SC_UCD_CACHED,
                   SC_UPS_BATTERY, SC_UPS_MINUTES, SC_UPS_CHARGE, SC_UPS_OUTPUT,
                   SC_IF_NUMBER, SC_IF_LAST_CHANGE, SC_SERVICES };

struct scalar {
    oid name[14];
    size_t len;
    enum scalar_kind kind;
};
#define SYS_COUNT 6 /* the first six: an agent that has none of them is not polled further */
#define N_SCALARS 18
/* the first GET's scalars, in enum scalar_kind order (snmp_tables.c) */
extern const struct scalar coll_scalars[N_SCALARS];

enum col_kind { C_DESCR, C_TYPE, C_SPEED, C_ADMIN, C_OPER, C_IN32, C_INERR, C_OUT32, C_OUTERR,
                C_NAME, C_INHC, C_OUTHC, C_HIGHSPEED, C_ALIAS,
                C_ST_TYPE, C_ST_DESCR, C_ST_UNITS, C_ST_SIZE, C_ST_USED,
                C_DEV_TYPE, C_DEV_DESCR, C_PROC_LOAD,
                C_SUP_DESCR, C_SUP_MAX, C_SUP_LEVEL,
                C_LLDP_CHASSIS, C_LLDP_PORT_ID, C_LLDP_PORT_DESC, C_LLDP_SYSNAME,
                C_CDP_ADDR, C_CDP_DEVICE, C_CDP_PORT,
                C_PROF /* a profile's value column: struct column.pv says which */ };

struct column {
    oid base[MAX_OID_LEN];
    size_t len;
    enum col_kind kind;
    unsigned short pv; /* C_PROF: the value's index in its profile */
};

/* ---- one device's poll ----------------------------------------------------------------------- */

/* PH_USM_WAIT: the engine ID is known, but another device in flight has the same engine ID
 * and v3 user: net-snmp keeps one process-wide USM user per (engine ID, user), so the two
 * would share keys. This one waits until that poll ends (see usm_clash()). */
enum phase { PH_PROBE, PH_USM_WAIT, PH_SYSTEM, PH_WALK, PH_QUICK, PH_DONE };

struct table {
    const struct column *cols;
    size_t ncols;
};

/* the tables a full poll walks, in order (snmp_tables.c) */
#define N_TABLES 8
extern const struct table coll_tables[N_TABLES];
#define FIRST_NEIGHBOR_TABLE 6

struct coll_engine;
struct shape;

/* one device in flight; owned by its engine's window */
struct dev {
    struct coll_engine *eng;
    const struct coll_target *t;
    struct coll_result *r;
    void *sess;
    int fd;
    int64_t t0, deadline;
    enum phase phase;
    bool v1;
    bool no_bulk;        /* the agent mishandled GETBULK: walk with GETNEXT */
    bool one_col;        /* answers too big to send: one column per request */
    int probe_fd;        /* PH_PROBE: our own socket for the engine-ID discovery */
    int probe_tries;
    int64_t probe_sent;
    long probe_msgid;
    unsigned char engine[32]; /* v3: the engine ID our probe learned (engine_len 0: none) */
    size_t engine_len;
    long boots, etime;
    int64_t engine_at; /* when boots/etime were read */
    uint64_t sys_left;   /* bit i: coll_scalars[i] still to ask, then bit N_SCALARS + j: the
                            profiles' probe OID j (v1 drops missing ones) */
    unsigned sys_seen;   /* system group objects answered */
    size_t table;        /* current table: coll_tables[], then N_TABLES: the profile's */
    bool col_done[MAX_COLS];
    oid cur[MAX_COLS][MAX_OID_LEN];
    size_t cur_len[MAX_COLS];
    size_t asked[MAX_COLS], nasked; /* columns in the outstanding request, in order */
    int budget;                      /* varbinds per GETBULK, halved on tooBig */
    int outstanding;                 /* requests sent and not yet answered or timed out */
    struct shape *shape; /* PH_QUICK: what is asked (the engine's, kept while in flight) */
    size_t qpos, qsent;  /* PH_QUICK: entries answered, entries in the request out */
    bool own;            /* PH_QUICK with our own BER GETs on the session's socket */
    long qreqid;         /* own: the request id out, its sends and when the last went */
    int qtries;
    int64_t qsent_at;
};

/* ---- counter polls (snmp_counter.c) ---------------------------------------------------------- */

#define QUICK_BYTES 1400 /* estimated answer bytes per GET: under a 1500-byte MTU */
#define QUICK_BYTES_MIN 64
#define QUICK_MAX_VARS 128
#define SHAPE_IDLE_MS (3LL * 3600 * 1000) /* a shape unused this long is dropped */

/* one instance asked in a counter poll */
struct qent {
    uint32_t sfx[2]; /* the row index sub-ids (two for printer supplies) */
    uint8_t nsfx;    /* 0: a scalar */
    uint8_t what;    /* enum col_kind; for a scalar, its place in coll_scalars[] */
    uint16_t pv;     /* C_PROF: the value's index in the shape's profile */
};

struct shape {
    uint64_t sig;            /* coll_target_sig() of the full poll it came from */
    int64_t used;            /* monotonic ms of its last poll */
    struct coll_result tmpl; /* the descriptive part; what moves is cleared */
    struct qent *ents;
    size_t n;
    long long uptime_ticks; /* sysUpTime at its last poll, -1 none */
    long long if_number;    /* ifNumber at the full poll, -1 none */
    long long if_last_change; /* ifTableLastChange at the full poll, -1 none */
    size_t budget;          /* answer bytes per GET */
    struct sockaddr_storage addr; /* v1/v2c at a numeric address: where our own GETs go */
    socklen_t addrlen;            /* 0: none, the GETs go through net-snmp */
};

/* ---- the engine (snmp.c) --------------------------------------------------------------------- */

/* a v1/v2c session kept between two polls of a device, indexed by device id */
struct kept {
    void *sess;   /* NULL: none */
    uint64_t sig; /* what it was opened with (address, version, community, timing) */
    int64_t used; /* monotonic ms of its last poll */
};
#define KEPT_ID_MAX (1LL << 22)   /* larger ids are not kept (a table by id) */
#define KEPT_IDLE_MS (15 * 60000) /* a session unused this long is closed */

struct coll_engine {
    struct kept *kept;
    size_t kept_len, kept_n, kept_max;
    int64_t kept_swept;
    bool stopping;
    struct shape **shapes; /* by device id: what its counter polls ask */
    size_t shapes_len;
    struct dev *devs; /* window slots; t == NULL when free */
    void **tags;
    struct pollfd *pfds;
    size_t *slot_of; /* pfds index -> devs index */
    size_t *act;     /* the slots in use, in no order (active of them) */
    size_t *idle;    /* the free slots, a stack (window - active of them) */
    size_t window, active;
    uint64_t reqid;  /* the next request id of our own GETs */
    unsigned char rbuf[65536]; /* one datagram read by coll_quick_read() */
    struct coll_ber_var rvars[QUICK_MAX_VARS];
    netsnmp_large_fd_set lfs;
    int lfs_size;
};


/* The functions the engine's files call in each other, by file. */

/* ---- tables and decoders (snmp_tables.c) ----------------------------------------------------- */

/* coll_set_error() - the poll's error, when it has none yet (the first cause is kept): the
 * text for the log, the code, and @param (NULL: none; cut to COLL_ERR_PARAM_MAX - 1) */
void coll_set_error(struct coll_result *r, enum coll_err code, const char *param,
                    const char *fmt, ...) WW_PRINTF(4, 5);
/* coll_is_exception() - noSuchObject, noSuchInstance, endOfMibView or NULL */
bool coll_is_exception(const netsnmp_variable_list *v);
/* coll_take_scalar() - @v into @r when it is one of coll_scalars[]; true when it was one of
 * the system group */
bool coll_take_scalar(struct coll_result *r, const netsnmp_variable_list *v);
/* coll_take_cell() - one table cell into @r; @suffix/@slen: the index sub-ids after the
 * column */
void coll_take_cell(struct coll_result *r, enum col_kind kind, const oid *suffix, size_t slen,
                    const netsnmp_variable_list *v);
/* coll_column_of() - the column of a table cell kind of the interface or HOST-RESOURCES /
 * Printer tables (aborts for any other) */
const struct column *coll_column_of(unsigned kind);
/* coll_result_init() - an empty result: zeroed, every scalar -1 (unknown) */
void coll_result_init(struct coll_result *r);

/* ---- device profiles (devprofile.c) ---------------------------------------------------------- */

/* coll_system_mask() - d->sys_left for a fresh system GET: every scalar and every probe */
uint64_t coll_system_mask(void);
/* coll_system_oid() - the OID of bit @i of sys_left into @out; its length */
size_t coll_system_oid(size_t i, oid *out);
/* coll_profile_probe_count() / coll_profile_probe_oid() - the current set's probe OIDs */
size_t coll_profile_probe_count(void);
size_t coll_profile_probe_oid(size_t i, oid *out);
/* coll_profile_probe_take() - note in r->probes the probe @v answers, if any */
void coll_profile_probe_take(struct coll_result *r, const netsnmp_variable_list *v);
/* coll_profile_match() - the current set's profile that fits @r best (sysObjectID,
 * sysDescr, probes), NULL when none does */
const struct coll_profile *coll_profile_match(const struct coll_result *r);
/* coll_profile_table() - @p's values as one table to walk; NULL when it has none */
const struct table *coll_profile_table(const struct coll_profile *p);
/* coll_profile_column() - value @pv's column */
const struct column *coll_profile_column(const struct coll_profile *p, unsigned pv);
/* coll_profile_take() - one instance of value @pv of r->profile into @r */
void coll_profile_take(struct coll_result *r, unsigned pv, const oid *suffix, size_t slen,
                       const netsnmp_variable_list *v);
/* coll_profile_finish() - what a finished poll still needs: the model from sysDescr when the
 * profile's OIDs gave none */
void coll_profile_finish(struct coll_result *r);

/* ---- the engine (snmp.c) --------------------------------------------------------------------- */

/* coll_dev_finish() - the poll is over; the loop closes it, never its own callback */
void coll_dev_finish(struct dev *d);
/* coll_dev_deadline() - the poll's deadline passed: the error (@waiting ends its text, ""
 * for none), then finished */
void coll_dev_deadline(struct dev *d, const char *waiting);
/* coll_send_pdu() - send @pdu (consumed in every case); on failure the device is finished */
void coll_send_pdu(struct dev *d, netsnmp_pdu *pdu);
/* coll_dev_open_session() - open the net-snmp session and send the first request; for v3
 * with the engine ID our probe learned (@engine NULL: net-snmp finds it itself, blocking:
 * only for host names we could not probe). 0, or a negative errno with the device finished */
int coll_dev_open_session(struct dev *d, const unsigned char *engine, size_t engine_len,
                          long boots, long etime);
/* coll_target_sig() - a hash of what a session or shape was made for (address, version,
 * community, timing): a change means start afresh */
uint64_t coll_target_sig(const struct coll_target *t);

/* ---- the full walk (snmp_walk.c) ------------------------------------------------------------- */

/* coll_ask_system() - the GET of the scalars still in d->sys_left */
void coll_ask_system(struct dev *d);
/* coll_ask_walk() - the next request of the walk (the next table with columns left), or
 * finish */
void coll_ask_walk(struct dev *d);
/* coll_on_system(), coll_on_walk() - an answer in PH_SYSTEM, PH_WALK */
void coll_on_system(struct dev *d, netsnmp_pdu *pdu);
void coll_on_walk(struct dev *d, netsnmp_pdu *pdu);

/* ---- counter polls and shapes (snmp_counter.c) ----------------------------------------------- */

/* coll_ask_first() - the first request of a poll: a counter GET when the device's shape is
 * known (and no full poll is asked for), else the system group of a full poll */
void coll_ask_first(struct dev *d);
/* coll_ask_quick() - the next counter GET (through net-snmp, or our own BER when d->own) */
void coll_ask_quick(struct dev *d);
/* coll_on_quick() - net-snmp's answer to a counter GET */
void coll_on_quick(struct dev *d, netsnmp_pdu *pdu);
/* coll_quick_read() - d->own: read the answers waiting on the device's socket */
void coll_quick_read(struct coll_engine *e, struct dev *d);
/* coll_quick_tick() - d->own, every loop turn: resend, ask smaller, or time out */
void coll_quick_tick(struct dev *d, int64_t now);
/* coll_shape_free() - NULL is fine; coll_shape_drop() - forget @device_id's shape */
void coll_shape_free(struct shape *s);
void coll_shape_drop(struct coll_engine *e, long long device_id);
/* coll_shape_after() - a poll ends: a complete full poll leaves its shape, a failed one
 * drops it */
void coll_shape_after(struct dev *d);

/* ---- SNMPv3 (snmp_v3.c: USM sessions; usm_probe.c: engine-ID discovery) ---------------------- */

/* coll_v3_refused() - @r refused (not ok), with what an SNMPv3 report (or a security error,
 * @pdu NULL) says went wrong */
void coll_v3_refused(struct coll_result *r, const netsnmp_pdu *pdu);
/* coll_v3_open_error() - why snmp_sess_open() failed for a v3 session (snmp_errno) */
void coll_v3_open_error(struct coll_result *r);
/* coll_set_v3() - user, level, protocols and derived keys of @t into @s; -EINVAL with the
 * error set on @r (COLL_ERR_V3_CONFIG) for an incomplete or unusable configuration */
int coll_set_v3(netsnmp_session *s, const struct coll_target *t, struct coll_result *r);
/* coll_forget_usm_user() - drop net-snmp's process-wide USM user for (@engine, @user) */
void coll_forget_usm_user(const unsigned char *engine, size_t len, const char *user);
/* coll_usm_wait_tick() - PH_USM_WAIT: open the session once no other poll shares the
 * engine ID and user */
void coll_usm_wait_tick(struct coll_engine *e, struct dev *d, int64_t now);
/* coll_probe_start() - v3 to a numeric address: send the engine-ID probe on our own socket
 * (PH_PROBE); false for a host name (net-snmp resolves and probes it itself)
 * coll_probe_answer() - the probe socket is readable: on the agent's report, PH_USM_WAIT
 * coll_probe_tick() - every loop turn: resend, or time out
 * coll_probe_close() - close the probe socket (safe when none) */
bool coll_probe_start(struct dev *d);
void coll_probe_answer(struct dev *d);
void coll_probe_tick(struct dev *d, int64_t now);
void coll_probe_close(struct dev *d);

#endif
