/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * wardwatch.c - the admin CLI: init (data folder, database, migrations), devices (add, edit,
 * list, remove, discover), users, the demo office generator. Global options come before the
 * command:
 *   wardwatch [-c CONFIG] [-d DATA_DIR] COMMAND ...
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"
#include "inventory/inventory.h"
#include "storage/storage.h"
#include "collector/collector.h"
#include "dashboard/dashboard.h"
#include "appliance/demo_int.h"
#include "appliance/probe_int.h"
#include "appliance/tls_int.h"

#include "common/banned.h"

struct cli {
    struct ww_config cfg;
    char *db_path;
    char os_user[64]; /* who ran the CLI, for the audit log */
};

static void cli_actor(const struct cli *c, struct inv_actor *out)
{
    out->user_id = 0;
    out->name = c->os_user;
    out->source = "cli";
    out->remote_addr = NULL;
}

/* the CLI's language: LANG en* English, else Vietnamese */
static enum ww_lang cli_lang(void)
{
    const char *lang_env = getenv("LANG");
    return lang_env && strncmp(lang_env, "en", 2) == 0 ? WW_LANG_EN : WW_LANG_VI;
}

/* the i18n files of the www folder, or NULL when it is not there (codes are printed) */
static struct ww_i18n *cli_words(const struct cli *c)
{
    struct ww_i18n *words = NULL;
    char dir[4096];

    snprintf(dir, sizeof(dir), "%s/i18n", c->cfg.www_dir ? c->cfg.www_dir : "");
    if (c->cfg.www_dir && *c->cfg.www_dir && access(dir, R_OK) == 0)
        ww_i18n_load(dir, &words);
    return words;
}

/* a refusal in words ("reason.<code>" with {field} and {param}), or as its codes; heap */
static char *cli_refusal_text(const struct ww_i18n *words, const struct inv_refusal *why)
{
    enum ww_lang lang = cli_lang();
    char key[64], fkey[48];
    const char *field;

    if (!words)
        return ww_asprintf("%s: %s%s%s", why->field, why->reason, why->param[0] ? " " : "",
                           why->param);
    snprintf(key, sizeof(key), "reason.%s", why->reason);
    snprintf(fkey, sizeof(fkey), "field.%s", why->field);
    field = ww_i18n_text(words, lang, fkey);
    struct ww_param params[] = {{"field", field ? field : why->field}, {"param", why->param}};
    return ww_i18n_printf(words, lang, key, params, WW_ARRAY_SIZE(params));
}

/*
 * cli_change() - run @ch through inventory's audited path as the CLI's user; a refusal is
 * printed in the words of the i18n files (LANG en* English, else Vietnamese) when the www
 * folder is there, else as its codes. Returns inv_change_run()'s result.
 */
static int cli_change(const struct cli *c, struct ww_db *db, struct inv_change *ch)
{
    struct inv_actor who;
    int ret;

    cli_actor(c, &who);
    ch->actor = &who;
    ret = inv_change_run(db, ch);
    ch->actor = NULL;
    if ((ret == -EINVAL || ret == -EEXIST) && ch->why.reason[0]) {
        struct ww_i18n *words = cli_words(c);
        char *msg = cli_refusal_text(words, &ch->why);

        fprintf(stderr, "wardwatch: %s\n", msg);
        free(msg);
        ww_i18n_free(words);
    }
    return ret;
}

/* a refusal made by the CLI itself (before any change), printed as cli_change() prints one */
static void cli_refuse(const struct cli *c, const char *field, const char *reason,
                       const char *param)
{
    struct inv_refusal why;
    struct ww_i18n *words = cli_words(c);
    char *msg;

    memset(&why, 0, sizeof(why));
    ww_strlcpy(why.field, field, sizeof(why.field));
    ww_strlcpy(why.reason, reason, sizeof(why.reason));
    ww_strlcpy(why.param, param ? param : "", sizeof(why.param));
    msg = cli_refusal_text(words, &why);
    fprintf(stderr, "wardwatch: %s\n", msg);
    free(msg);
    ww_i18n_free(words);
}

/* the unit whose code is @code as names compare (ww_name_key, as the import's codes), from
 * inventory's list of units; -ENOENT (refusal printed: unit_code no_such), -EIO */
static int unit_by_code(const struct cli *c, struct ww_db *db, const char *code, long long *out)
{
    struct inv_unit *u = NULL;
    size_t n = 0;
    char *key;
    int ret = -ENOENT;

    if (inv_units_at(db, NULL, &u, &n) < 0)
        return -EIO;
    key = ww_name_key(code);
    for (size_t i = 0; i < n && ret == -ENOENT; i++) {
        char *k = ww_name_key(u[i].code ? u[i].code : "");
        if (strcmp(k, key) == 0) {
            *out = u[i].id;
            ret = 0;
        }
        free(k);
    }
    free(key);
    inv_unit_list_free(u, n);
    if (ret == -ENOENT)
        cli_refuse(c, "unit_code", "no_such", code);
    return ret;
}

/* the staff record whose code is @code (inv_staff_by_code); -ENOENT (refusal printed:
 * assigned_staff no_such), -EIO */
static int holder_by_code(const struct cli *c, struct ww_db *db, const char *code,
                          long long *out)
{
    int ret = inv_staff_by_code(db, code, out);

    if (ret == -ENOENT)
        cli_refuse(c, "assigned_staff", "no_such", code);
    return ret;
}

/* one line from stdin (a password), without the newline; NULL at EOF or when too long */
static char *read_secret_line(void)
{
    char buf[DASH_PASSWORD_MAX_INPUT];
    size_t n;

    if (!fgets(buf, sizeof(buf), stdin))
        return NULL;
    n = strlen(buf);
    if (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    else if (!feof(stdin)) {
        memset(buf, 0, sizeof(buf));
        return NULL;
    }
    if (n && buf[n - 1] == '\r')
        buf[--n] = '\0';
    char *p = ww_strdup(buf);
    memset(buf, 0, sizeof(buf));
    return p;
}

static void free_secret(char *p)
{
    if (p) {
        memset(p, 0, strlen(p));
        free(p);
    }
}

/* a random password people can type: 16 characters from an unambiguous alphabet */
static void random_password(char out[17])
{
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    char token[48];
    size_t k = 0;
    while (k < 16) {
        dash_token_random(token, sizeof(token));
        for (size_t i = 0; token[i] && k < 16; i++)
            if (strchr(alphabet, token[i]))
                out[k++] = token[i];
    }
    out[16] = '\0';
    memset(token, 0, sizeof(token));
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: wardwatch [-c CONFIG] [-d DATA_DIR] COMMAND [ARGS]\n"
            "commands:\n"
            "  init                          create the data folder and database, or migrate it\n"
            "  device add --name N --host H [--port P] [--version 1|2c] [--community C]\n"
            "             [--kind K] [--vendor V] [--model M] [--serial S] [--asset-tag A]\n"
            "             [--purchase-date YYYY-MM-DD] [--cost VND] [--disabled]\n"
            "             [--in-service-date D] [--warranty-end D] [--funding-source F]\n"
            "             [--lifespan YEARS] [--status S] [--criticality C]\n"
            "             [--assigned-to NAME | --holder STAFF_CODE] [--notes TEXT] [--unit CODE]\n"
            "             [--version 3 --v3-user U --v3-level noAuthNoPriv|authNoPriv|authPriv\n"
            "              --auth-proto MD5|SHA|SHA-224|SHA-256|SHA-384|SHA-512\n"
            "              --priv-proto DES|AES|AES-192|AES-256]\n"
            "                                add a device; secrets from the environment:\n"
            "                                $WW_COMMUNITY, $WW_AUTH_KEY, $WW_PRIV_KEY. A name\n"
            "                                another device has is refused (capitals, accents\n"
            "                                typed either way and surrounding spaces do not\n"
            "                                make a name different); --unit: the code of an\n"
            "                                org unit (refused when no unit has it)\n"
            "  device edit ID [--enabled] [the options of add]\n"
            "                                change what is given, keep the rest\n"
            "  device list                   list devices with their status\n"
            "  device import FILE [--dry-run] [--only-valid]\n"
            "                                devices from a CSV file (devices.csv's columns);\n"
            "                                the whole file is checked first and nothing is\n"
            "                                written unless every row is valid (or with\n"
            "                                --only-valid, the valid rows); refusals as\n"
            "                                'row R, column C: words'\n"
            "  device remove ID              remove a device and its records\n"
            "  unit import FILE [--dry-run] [--only-valid]\n"
            "                                org units from a CSV file (units.csv's columns:\n"
            "                                code,name,level,parent_code,valid_from; a parent\n"
            "                                may come later in the file), by the rules of\n"
            "                                device import\n"
            "  unit list                     the units: id, code, level, name\n"
            "  staff import FILE [--dry-run]  staff from a CSV file (staff_code,full_name,unit,\n"
            "                                role_code,start_day,active): a known code is\n"
            "                                updated (a new unit or role is a move today),\n"
            "                                by the rules of device import\n"
            "  training course add --name N --provider-kind internal|province_dept|online\n"
            "             [--provider P] [--hours H] --skill SKILL_CODE=LEVEL [--skill ...]\n"
            "                                a course and the skills it grants (prints its id)\n"
            "  training import FILE [--dry-run] [--digest HEX --confirm ROW=STAFFID ...]\n"
            "                                training records from a provider's CSV file\n"
            "                                (staff_code,full_name,unit,course,session,\n"
            "                                completed_on,result,score,certificate_no,\n"
            "                                valid_until,evidence); a row without a staff\n"
            "                                code is matched by name and unit and listed to\n"
            "                                confirm (exit 3, nothing written) with the\n"
            "                                file's digest; run again with --digest and a\n"
            "                                --confirm for each such row\n"
            "  user add --login L --role R [--name N] [--password-stdin]\n"
            "                                add a user (a random password is printed once\n"
            "                                unless --password-stdin); roles: admin it manager\n"
            "                                hr viewer\n"
            "  user passwd LOGIN [--password-stdin]   set a new password (ends its sessions)\n"
            "  user disable LOGIN | user enable LOGIN | user unlock LOGIN | user list\n"
            "  init [--admin-password-stdin] [--self-signed-cert]\n"
            "                                the first admin is 'admin' with a printed random\n"
            "                                password; --self-signed-cert writes tls/ files\n"
            "  demo-gen [--since EPOCH] DIR  write the demo ward office's SNMP recordings (its\n"
            "                                counters and uptimes running since EPOCH) and its\n"
            "                                register (register.tsv, units.csv, plan.tsv) as of\n"
            "                                EPOCH\n"
            "  discover CIDR|ADDRESS... [--port P] [--version 1|2c|3] [--v3-user U\n"
            "             --v3-level L --auth-proto A --priv-proto P] [--timeout-ms N] [--dry-run]\n"
            "                                ask every address at once; add the ones that answer\n"
            "                                with their facts, vendor, model and a kind guess,\n"
            "                                printing why that kind (secrets from\n"
            "                                $WW_COMMUNITY, $WW_AUTH_KEY, $WW_PRIV_KEY). A device\n"
            "                                is named by its sysName; when another device has\n"
            "                                it, by 'sysName (address)': core-sw (10.0.0.2)\n"
            "  probe HOST [--port P] [--version 1|2c] [--community C] [--json]\n"
            "                                poll one device once: its kind and why, vendor,\n"
            "                                model and measured values (nothing stored)\n"
            "  plan [--horizon N] [--unit ID] [--today YYYY-MM-DD] [--priority] [--quiet]\n"
            "                                the replacement plan: per year and unit the items\n"
            "                                (replace or upgrade, cost, score) and the budget\n"
            "                                left, then what was not funded; --priority lists\n"
            "                                the devices by score with their terms; --quiet\n"
            "                                prints only counts and the time taken (the bench)\n"
            "  plan price ITEM VND [ITEM VND ...]\n"
            "                                the plan's prices (ITEM a kind or ram_upgrade,\n"
            "                                disk_upgrade, link_upgrade), in one change\n"
            "  plan budget UNIT_CODE YEAR VND [YEAR VND ...]\n"
            "                                a unit's yearly budgets for new equipment, in one\n"
            "                                change (YEAR 2000..2200)\n"
            "  metrics-token                 make a new token for /metrics (Prometheus);\n"
            "                                printed once, only its hash is kept\n"
            "kinds: router switch firewall ap ups printer nas server pc other\n");
}

static int open_db(struct cli *c, bool create, struct ww_db **out_db)
{
    if (ww_db_open(c->db_path, create, out_db) < 0)
        return -EIO;
    if (inv_migrate(*out_db) < 0) {
        ww_db_close(*out_db);
        *out_db = NULL;
        return -EIO;
    }
    return 0;
}

static int create_first_admin(struct cli *c, struct ww_db *db, bool from_stdin)
{
    char hash[DASH_PASSWORD_HASH_SIZE], generated[17];
    char *pw = NULL;
    const char *why = NULL;
    struct inv_user_new u = {"admin", "Quản trị viên", "admin", hash};
    struct inv_change ch = {.action = "user.add", .object_type = "user", .audit_id = "admin",
                            .apply = inv_apply_user_add, .ctx = &u};
    long long admins = 0;
    int ret = -EIO;

    if (inv_user_count_admins(db, &admins) < 0)
        return -EIO;
    if (admins > 0) {
        if (from_stdin)
            fprintf(stderr, "wardwatch: an admin exists already; password not changed\n");
        return 0;
    }
    if (from_stdin) {
        pw = read_secret_line();
        if (!pw || dash_password_policy("admin", pw, &why) < 0) {
            fprintf(stderr, "wardwatch: admin password from stdin: %s\n",
                    why ? why : "none given");
            free_secret(pw);
            return -EINVAL;
        }
    } else {
        random_password(generated);
        pw = ww_strdup(generated);
    }
    if (dash_password_hash(pw, hash, sizeof(hash)) < 0)
        goto out;
    ret = cli_change(c, db, &ch);
    if (ret < 0)
        goto out;
    if (!from_stdin)
        printf("wardwatch: first admin created: login 'admin', password '%s'\n"
               "           (shown only now: write it down, then change it in the dashboard)\n",
               generated);
out:
    memset(generated, 0, sizeof(generated));
    memset(hash, 0, sizeof(hash));
    free_secret(pw);
    free(ch.after);
    return ret;
}

static int cmd_init(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"admin-password-stdin", no_argument, NULL, 'a'},
        {"self-signed-cert", no_argument, NULL, 's'},
        {NULL, 0, NULL, 0}};
    struct ww_db *db = NULL;
    char *rrd = NULL, *tls_dir = NULL, *cert = NULL, *key = NULL;
    bool pw_stdin = false, self_signed = false;
    int version = 0, ret = 1, opt;

    optind = 0; /* 0: glibc starts afresh (permutation included) */
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'a': pw_stdin = true; break;
        case 's': self_signed = true; break;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }
    if (ww_mkdir_p(c->cfg.data_dir, 0750) < 0)
        return 1;
    rrd = ww_asprintf("%s/rrd", c->cfg.data_dir);
    if (ww_mkdir_p(rrd, 0750) < 0)
        goto out;
    if (open_db(c, true, &db) < 0 || ww_db_user_version(db, &version) < 0)
        goto out;
    if (create_first_admin(c, db, pw_stdin) < 0)
        goto out;
    {
        /* the starting catalogue of job roles and skills (issue 17), when those are empty */
        struct inv_actor who;
        char err[256];
        bool loaded;
        int cat;
        cli_actor(c, &who);
        /* a broken file stops the init; a missing one leaves the tables for HR to fill
         * (inv_catalogue_load() logged it) */
        cat = inv_catalogue_load(db, WW_CATALOGUE_DIR, &who, &loaded, err, sizeof(err));
        if (cat < 0 && cat != -ENOENT) {
            fprintf(stderr, "wardwatch: catalogue: %s\n", err);
            goto out;
        }
    }
    if (self_signed) {
        tls_dir = ww_asprintf("%s/tls", c->cfg.data_dir);
        cert = ww_asprintf("%s/cert.pem", tls_dir);
        key = ww_asprintf("%s/key.pem", tls_dir);
        if (ww_mkdir_p(tls_dir, 0700) < 0 || app_tls_self_signed(cert, key, "wardwatch") < 0)
            goto out;
        printf("wardwatch: self-signed certificate written; in [dashboard] set:\n"
               "  tls_cert = %s\n  tls_key = %s\n", cert, key);
    }
    printf("wardwatch: data folder %s ready (database schema version %d)\n", c->cfg.data_dir,
           version);
    ret = 0;
out:
    ww_db_close(db);
    free(rrd);
    free(tls_dir);
    free(cert);
    free(key);
    return ret;
}

/* the options of device add and device edit, onto @d (strings borrowed from argv; a number
 * not given keeps @d's), --unit's code into *@out_unit (NULL: not given; looked up by the
 * caller, with the database open); 0, or 2 (usage) after saying what is wrong */
static int device_opts(int argc, char **argv, struct inv_device *d, int *out_enabled,
                       const char **out_unit, const char **out_holder)
{
    static const struct option opts[] = {
        {"name", required_argument, NULL, 'n'},      {"host", required_argument, NULL, 'H'},
        {"port", required_argument, NULL, 'p'},      {"version", required_argument, NULL, 'V'},
        {"community", required_argument, NULL, 'C'}, {"kind", required_argument, NULL, 'k'},
        {"vendor", required_argument, NULL, 'e'},    {"model", required_argument, NULL, 'm'},
        {"serial", required_argument, NULL, 's'},    {"asset-tag", required_argument, NULL, 'a'},
        {"purchase-date", required_argument, NULL, 'D'},
        {"cost", required_argument, NULL, 'x'},      {"disabled", no_argument, NULL, 'X'},
        {"enabled", no_argument, NULL, 'E'},
        {"v3-user", required_argument, NULL, 'u'},   {"v3-level", required_argument, NULL, 'l'},
        {"auth-proto", required_argument, NULL, 'A'}, {"priv-proto", required_argument, NULL, 'P'},
        /* the lifecycle (schema v13), as the API's fields */
        {"in-service-date", required_argument, NULL, 'i'},
        {"warranty-end", required_argument, NULL, 'w'},
        {"funding-source", required_argument, NULL, 'f'},
        {"lifespan", required_argument, NULL, 'L'},
        {"status", required_argument, NULL, 'S'},
        {"criticality", required_argument, NULL, 'c'},
        {"assigned-to", required_argument, NULL, 'T'},
        {"notes", required_argument, NULL, 'N'},
        {"unit", required_argument, NULL, 'U'}, /* an org unit's code */
        {"holder", required_argument, NULL, 'O'}, /* a staff code: the holder's record */
        {NULL, 0, NULL, 0}};
    int opt;

    *out_enabled = -1;
    *out_unit = *out_holder = NULL;
    optind = 0; /* 0: glibc starts afresh (permutation included) */
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'n': d->name = optarg; break;
        case 'H': d->host = optarg; break;
        case 'V': d->snmp_version = optarg; break;
        case 'C': d->snmp_community = optarg; break;
        case 'k': d->kind = optarg; break;
        case 'e': d->vendor = optarg; break;
        case 'm': d->model = optarg; break;
        case 's': d->serial = optarg; break;
        case 'a': d->asset_tag = optarg; break;
        case 'D': d->purchase_date = optarg; break;
        case 'X': *out_enabled = 0; break;
        case 'E': *out_enabled = 1; break;
        case 'u': d->v3_user = optarg; break;
        case 'l': d->v3_level = optarg; break;
        case 'A': d->v3_auth_proto = optarg; break;
        case 'P': d->v3_priv_proto = optarg; break;
        case 'i': d->in_service_date = optarg; break;
        case 'w': d->warranty_end = optarg; break;
        case 'f': d->funding_source = optarg; break;
        case 'S': d->status = optarg; break;
        case 'c': d->criticality = optarg; break;
        case 'T': d->assigned_to = optarg; break;
        case 'N': d->notes = optarg; break;
        case 'U': *out_unit = optarg; break;
        case 'O': *out_holder = optarg; break;
        case 'L':
            if (ww_parse_ll(optarg, 1, INV_LIFESPAN_MAX, &d->lifespan_years) < 0) {
                fprintf(stderr, "wardwatch: --lifespan must be 1 to %d years\n", INV_LIFESPAN_MAX);
                return 2;
            }
            break;
        case 'p':
            if (ww_parse_ll(optarg, 1, 65535, &d->snmp_port) < 0) {
                fprintf(stderr, "wardwatch: --port must be 1 to 65535\n");
                return 2;
            }
            break;
        case 'x':
            if (ww_parse_ll(optarg, 0, (long long)1e15, &d->cost_vnd) < 0) {
                fprintf(stderr, "wardwatch: --cost must be a whole number of VND\n");
                return 2;
            }
            break;
        default: usage(stderr); return 2;
        }
    }
    /* secrets come from the environment, never from argv (the process list shows argv) */
    if (!d->snmp_community)
        d->snmp_community = getenv("WW_COMMUNITY");
    d->v3_auth_key = getenv("WW_AUTH_KEY");
    d->v3_priv_key = getenv("WW_PRIV_KEY");
    return 0;
}

static int device_add(struct cli *c, int argc, char **argv)
{
    struct inv_device d;
    struct inv_change ch = {.action = "device.add", .object_type = "device",
                            .apply = inv_apply_device_add};
    struct ww_db *db = NULL;
    const char *unit = NULL, *holder = NULL;
    int enabled, ret = 1;

    inv_device_init(&d);
    if (device_opts(argc, argv, &d, &enabled, &unit, &holder) != 0)
        return 2;
    d.enabled = enabled != 0;
    if (optind != argc || !d.name || !d.host) {
        fprintf(stderr, "wardwatch: device add needs --name and --host\n");
        return 2;
    }
    if (open_db(c, false, &db) < 0)
        return 1;
    if ((unit && unit_by_code(c, db, unit, &d.unit_id) < 0) ||
        (holder && holder_by_code(c, db, holder, &d.assigned_staff_id) < 0)) {
        ww_db_close(db);
        return 1;
    }
    ch.ctx = &d;
    if (cli_change(c, db, &ch) == 0) {
        printf("%lld\n", ch.id);
        ret = 0;
    }
    free(ch.after);
    ww_db_close(db);
    return ret; /* d's strings are borrowed from argv: nothing to release */
}

/* device edit: the stored device with the given options over it, read and written in one
 * audited change (as the API's PATCH) */
struct device_edit {
    const struct inv_device *given; /* borrowed from argv; NULL = unchanged */
    int enabled;                    /* -1 unchanged */
    struct inv_device d;
};

static int apply_device_edit(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    struct device_edit *e = ctx;
    const struct inv_device *g = e->given;
    char **to[] = {&e->d.name,      &e->d.host,          &e->d.snmp_version, &e->d.kind,
                   &e->d.vendor,    &e->d.model,         &e->d.serial,       &e->d.asset_tag,
                   &e->d.purchase_date, &e->d.v3_user,   &e->d.v3_level,     &e->d.v3_auth_proto,
                   &e->d.v3_priv_proto, &e->d.in_service_date, &e->d.warranty_end,
                   &e->d.funding_source, &e->d.status, &e->d.criticality, &e->d.assigned_to,
                   &e->d.notes, &e->d.snmp_community, &e->d.v3_auth_key, &e->d.v3_priv_key};
    char *const from[] = {g->name,   g->host,   g->snmp_version,  g->kind,
                          g->vendor, g->model,  g->serial,        g->asset_tag,
                          g->purchase_date, g->v3_user, g->v3_level, g->v3_auth_proto,
                          g->v3_priv_proto, g->in_service_date, g->warranty_end,
                          g->funding_source, g->status, g->criticality, g->assigned_to,
                          g->notes, g->snmp_community, g->v3_auth_key, g->v3_priv_key};
    int ret = inv_device_get(db, ch->id, &e->d);

    if (ret < 0)
        return ret;
    for (size_t i = 0; i < WW_ARRAY_SIZE(to); i++) {
        /* the three secrets last: NULL keeps the stored one (inv_device_update) */
        if (from[i] || i >= WW_ARRAY_SIZE(to) - 3) {
            free(*to[i]);
            *to[i] = from[i] ? ww_strdup(from[i]) : NULL;
        }
    }
    if (g->snmp_port)
        e->d.snmp_port = g->snmp_port;
    if (g->cost_vnd != -2)
        e->d.cost_vnd = g->cost_vnd;
    if (g->lifespan_years > 0)
        e->d.lifespan_years = g->lifespan_years;
    if (g->unit_id > 0)
        e->d.unit_id = g->unit_id;
    /* --holder names a staff record; --assigned-to alone a typed name, nobody's record */
    if (g->assigned_staff_id > 0 || g->assigned_to)
        e->d.assigned_staff_id = g->assigned_staff_id;
    if (e->enabled >= 0)
        e->d.enabled = e->enabled != 0;
    return inv_apply_device_update(db, &e->d, ch);
}

static int device_edit(struct cli *c, int argc, char **argv)
{
    struct inv_device given = {.snmp_port = 0, .cost_vnd = -2}; /* 0, -2: not given */
    struct device_edit e = {.given = &given};
    struct inv_change ch = {.action = "device.change", .object_type = "device",
                            .apply = apply_device_edit, .ctx = &e};
    struct ww_db *db = NULL;
    const char *unit = NULL, *holder = NULL;
    int ret;

    inv_device_init(&e.d);
    if (argc < 2 || ww_parse_ll(argv[1], 1, (long long)1e15, &ch.id) < 0) {
        fprintf(stderr, "wardwatch: device edit needs a device id\n");
        return 2;
    }
    if (device_opts(argc - 1, argv + 1, &given, &e.enabled, &unit, &holder) != 0)
        return 2;
    if (optind != argc - 1) {
        usage(stderr);
        return 2;
    }
    if (open_db(c, false, &db) < 0)
        return 1;
    if ((unit && unit_by_code(c, db, unit, &given.unit_id) < 0) ||
        (holder && holder_by_code(c, db, holder, &given.assigned_staff_id) < 0)) {
        ww_db_close(db);
        return 1;
    }
    ret = cli_change(c, db, &ch);
    if (ret == -ENOENT)
        fprintf(stderr, "wardwatch: no device %lld\n", ch.id);
    free(ch.after);
    inv_device_release(&e.d);
    ww_db_close(db);
    return ret == 0 ? 0 : 1;
}

static int device_list(struct cli *c, int argc, char **argv)
{
    struct inv_device_list list;
    struct ww_db *db = NULL;

    if (argc != 1) {
        usage(stderr);
        return 2;
    }
    if (open_db(c, false, &db) < 0)
        return 1;
    if (inv_device_list(db, false, -1, 0, &list) < 0) {
        ww_db_close(db);
        return 1;
    }
    printf("%-5s %-28s %-8s %-24s %-8s %s\n", "ID", "NAME", "KIND", "ADDRESS", "STATE",
           "SYSNAME");
    for (size_t i = 0; i < list.n; i++) {
        const struct inv_device *d = &list.items[i];
        char addr[300];
        /* strings from devices and people: printed sanitized, never as a format */
        char *name = ww_utf8_sanitize(d->name, strlen(d->name));
        char *sys = d->sys_name ? ww_utf8_sanitize(d->sys_name, strlen(d->sys_name)) : NULL;
        snprintf(addr, sizeof(addr), "%s:%lld", d->host, d->snmp_port);
        printf("%-5lld %-28s %-8s %-24s %-8s %s\n", d->id, name, d->kind, addr,
               d->enabled ? d->state : "disabled", sys ? sys : "-");
        free(name);
        free(sys);
    }
    inv_device_list_release(&list);
    ww_db_close(db);
    return 0;
}

static int device_remove(struct cli *c, int argc, char **argv)
{
    struct inv_change ch = {.action = "device.remove", .object_type = "device",
                            .apply = inv_apply_device_remove};
    struct ww_db *db = NULL;
    long long id;
    int ret;

    if (argc != 2 || ww_parse_ll(argv[1], 1, (long long)1e15, &id) < 0) {
        fprintf(stderr, "wardwatch: device remove needs a device id\n");
        return 2;
    }
    if (open_db(c, false, &db) < 0)
        return 1;
    ch.id = id;
    ret = cli_change(c, db, &ch);
    if (ret == -ENOENT)
        fprintf(stderr, "wardwatch: no device %lld\n", id);
    if (ret == 0) { /* committed: its metric files move aside, so that nothing inherits them */
        char *rrd = ww_asprintf("%s/rrd", c->cfg.data_dir);
        struct store *st = NULL;
        if (store_open(rrd, c->cfg.rrdcached, &st) == 0)
            store_retire(st, id, time(NULL));
        store_free(st);
        free(rrd);
    }
    free(ch.after);
    ww_db_close(db);
    return ret == 0 ? 0 : 1;
}

/* the whole of @path (at most @max bytes) into @out (released by the caller); -EFBIG beyond */
static int read_file_max(const char *path, size_t max, struct ww_buf *out)
{
    char chunk[65536];
    FILE *f = fopen(path, "rb");
    size_t n;
    int ret = 0;

    if (!f)
        return ww_error(-errno, "wardwatch: cannot open '%s': %s", path, strerror(errno));
    ww_buf_init(out, max);
    while (ret == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (ww_buf_add(out, chunk, n) < 0)
            ret = ww_error(-EFBIG, "wardwatch: '%s' is larger than %zu bytes", path, max);
    if (ret == 0 && ferror(f))
        ret = ww_error(-EIO, "wardwatch: cannot read '%s'", path);
    fclose(f);
    return ret;
}

/* a word of the i18n files in the CLI's language, else @dflt */
static const char *cli_word(const struct ww_i18n *words, const char *key, const char *dflt)
{
    const char *t = words ? ww_i18n_text(words, cli_lang(), key) : NULL;
    return t ? t : dflt;
}

/* an import's refusals ('row R, column C: words', the words in the reader's language) on
 * stderr, its counts on stdout */
static void import_print(const struct ww_i18n *words, const struct inv_import_result *r)
{
    for (size_t i = 0; i < r->n_errors; i++) {
        char *msg = cli_refusal_text(words, &r->errors[i].why);
        fprintf(stderr, "row %lld, column %d: %s\n", r->errors[i].row, r->errors[i].column, msg);
        free(msg);
    }
    if (r->errors_more)
        fprintf(stderr, "... %zu more\n", r->errors_more);
    printf("rows %lld, valid %lld, written %lld\n", r->rows, r->valid, r->written);
}

/* `device import` and `unit import`: @import checks the whole file and writes it or not */
typedef int (*import_fn)(struct ww_db *db, const char *data, size_t len,
                         const struct inv_import_opts *o, struct inv_import_result *out);

static int csv_import(struct cli *c, int argc, char **argv, const char *what, import_fn import)
{
    static const struct option opts[] = {{"dry-run", no_argument, NULL, 'n'},
                                         {"only-valid", no_argument, NULL, 'v'},
                                         {NULL, 0, NULL, 0}};
    struct inv_import_opts o = {0};
    struct inv_import_result r = {0};
    struct ww_i18n *words = NULL;
    struct ww_db *db = NULL;
    struct inv_actor who;
    struct ww_buf file = {0};
    int opt, ret = 1;

    optind = 0;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'n': o.dry_run = true; break;
        case 'v': o.only_valid = true; break;
        default: usage(stderr); return 2;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "wardwatch: %s import needs one FILE\n", what);
        return 2;
    }
    if (read_file_max(argv[optind], INV_IMPORT_FILE_MAX, &file) < 0)
        goto out;
    if (open_db(c, false, &db) < 0)
        goto out;
    cli_actor(c, &who);
    words = cli_words(c);
    o.actor = &who;
    o.words = words;
    ret = import(db, file.data ? file.data : "", file.len, &o, &r);
    import_print(words, &r);
    ret = ret == 0 ? 0 : 1;
out:
    inv_import_result_release(&r);
    ww_i18n_free(words);
    ww_db_close(db);
    ww_buf_release(&file);
    return ret;
}

static int cmd_device(struct cli *c, int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "add") == 0)
        return device_add(c, argc - 1, argv + 1);
    if (strcmp(argv[1], "edit") == 0)
        return device_edit(c, argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return device_list(c, argc - 1, argv + 1);
    if (strcmp(argv[1], "remove") == 0)
        return device_remove(c, argc - 1, argv + 1);
    if (strcmp(argv[1], "import") == 0)
        return csv_import(c, argc - 1, argv + 1, "device", inv_import_devices);
    usage(stderr);
    return 2;
}

/* unit list: every unit (merged ones too), by name: its id, code, level and name */
static int unit_list(struct cli *c, int argc)
{
    struct inv_unit *u = NULL;
    struct ww_db *db = NULL;
    size_t n = 0;

    if (argc != 1) {
        usage(stderr);
        return 2;
    }
    if (open_db(c, false, &db) < 0)
        return 1;
    if (inv_units_at(db, NULL, &u, &n) < 0) {
        ww_db_close(db);
        return 1;
    }
    printf("%-5s %-24s %-10s %s\n", "ID", "CODE", "LEVEL", "NAME");
    for (size_t i = 0; i < n; i++) {
        /* typed by people: printed sanitized, never as a format */
        char *code = ww_utf8_sanitize(u[i].code, strlen(u[i].code));
        char *name = ww_utf8_sanitize(u[i].name, strlen(u[i].name));
        printf("%-5lld %-24s %-10s %s%s\n", u[i].id, code, u[i].level ? u[i].level : "ward",
               name, u[i].merged_into ? " (merged)" : "");
        free(code);
        free(name);
    }
    inv_unit_list_free(u, n);
    ww_db_close(db);
    return 0;
}

/* the rows to confirm of a training import, each with its candidates (names sanitized) */
static void matches_print(const struct ww_i18n *words, const struct inv_training_import *ti)
{
    static const char *const state_key[] = {"trainimport.proposed", "trainimport.ambiguous",
                                            "trainimport.none"};
    static const char *const state_dflt[] = {"proposed", "ambiguous", "no match"};

    for (size_t i = 0; i < ti->n_matches; i++) {
        const struct inv_match *m = &ti->matches[i];
        printf("row %lld: %s", m->row, cli_word(words, state_key[m->state], state_dflt[m->state]));
        for (size_t j = 0; j < m->n_cand && j < INV_MATCH_CANDIDATES_MAX; j++) {
            const struct inv_match_person *p = &m->cand[j];
            char *code = ww_utf8_sanitize(p->code, strlen(p->code));
            char *name = ww_utf8_sanitize(p->full_name, strlen(p->full_name));
            char *unit = p->unit_code ? ww_utf8_sanitize(p->unit_code, strlen(p->unit_code))
                                      : ww_strdup("-");
            printf("%s #%lld %s %s (%s)", j ? ";" : "", p->id, code, name, unit);
            free(code);
            free(name);
            free(unit);
        }
        if (m->n_cand > INV_MATCH_CANDIDATES_MAX)
            printf("; ... %zu", m->n_cand - INV_MATCH_CANDIDATES_MAX);
        printf("\n");
    }
    if (ti->matches_more)
        printf("... %zu\n", ti->matches_more);
    printf("%s: %s\n", cli_word(words, "trainimport.digest", "digest"), ti->digest_out);
}

/* training import FILE [--dry-run] [--digest HEX --confirm ROW=STAFFID ...] */
static int training_import(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"dry-run", no_argument, NULL, 'n'},
                                         {"confirm", required_argument, NULL, 'c'},
                                         {"digest", required_argument, NULL, 'd'},
                                         {NULL, 0, NULL, 0}};
    struct inv_import_opts o = {0};
    struct inv_import_result r = {0};
    struct inv_training_import ti = {0};
    struct inv_confirm *conf = NULL;
    struct ww_i18n *words = NULL;
    struct ww_db *db = NULL;
    struct inv_actor who;
    struct ww_buf file = {0};
    size_t n_conf = 0;
    int opt, ret = 2;

    optind = 0;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *eq = opt == 'c' ? strchr(optarg, '=') : NULL;
        switch (opt) {
        case 'n': o.dry_run = true; break;
        case 'd': ti.digest = optarg; break;
        case 'c':
            conf = ww_reallocarray(conf, n_conf + 1, sizeof(*conf));
            if (!eq || n_conf >= INV_IMPORT_ROWS_MAX) {
                fprintf(stderr, "wardwatch: --confirm ROW=STAFFID\n");
                goto out;
            }
            *eq = '\0';
            if (ww_parse_ll(optarg, 1, INV_IMPORT_ROWS_MAX + 1, &conf[n_conf].row) < 0 ||
                ww_parse_ll(eq + 1, 1, LLONG_MAX, &conf[n_conf].staff_id) < 0) {
                fprintf(stderr, "wardwatch: --confirm ROW=STAFFID\n");
                goto out;
            }
            n_conf++;
            break;
        default: usage(stderr); goto out;
        }
    }
    if (optind + 1 != argc || (n_conf && !ti.digest)) {
        fprintf(stderr, "wardwatch: training import needs one FILE (and --digest with "
                        "--confirm)\n");
        goto out;
    }
    ret = 1;
    ti.confirm = conf;
    ti.n_confirm = n_conf;
    if (read_file_max(argv[optind], INV_IMPORT_FILE_MAX, &file) < 0 ||
        open_db(c, false, &db) < 0)
        goto out;
    cli_actor(c, &who);
    words = cli_words(c);
    o.actor = &who;
    o.words = words;
    ret = inv_import_training(db, file.data ? file.data : "", file.len, &o, &ti, &r);
    import_print(words, &r);
    if (ti.n_matches || ret == -EAGAIN)
        matches_print(words, &ti);
    ret = ret == 0 ? 0 : ret == -EAGAIN ? 3 : 1;
out:
    inv_training_import_release(&ti);
    inv_import_result_release(&r);
    ww_i18n_free(words);
    ww_db_close(db);
    ww_buf_release(&file);
    free(conf);
    return ret;
}

/* staff import FILE, training import FILE */
static int cmd_staff(struct cli *c, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "import") == 0)
        return csv_import(c, argc - 1, argv + 1, "staff", inv_import_staff);
    usage(stderr);
    return 2;
}

/* training course add: one audited change (object type course), as POST /api/v1/courses */
static int course_add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
                                         {"provider-kind", required_argument, NULL, 'k'},
                                         {"provider", required_argument, NULL, 'p'},
                                         {"hours", required_argument, NULL, 'h'},
                                         {"skill", required_argument, NULL, 's'},
                                         {NULL, 0, NULL, 0}};
    struct inv_role_skill skills[32];
    const char *codes[32];
    struct inv_course k = {.skills = skills};
    struct inv_change ch = {.action = "course.add", .object_type = "course",
                            .apply = inv_apply_course_add, .ctx = &k};
    struct ww_db *db = NULL;
    long long v;
    int opt, ret = 2;

    optind = 0;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *eq = opt == 's' ? strrchr(optarg, '=') : NULL;
        switch (opt) {
        case 'n': k.name = optarg; break;
        case 'k': k.provider_kind = optarg; break;
        case 'p': k.provider = optarg; break;
        case 'h':
            if (ww_parse_ll(optarg, 0, 10000, &v) < 0) {
                fprintf(stderr, "wardwatch: --hours is 0 to 10000\n");
                return 2;
            }
            k.hours = (int)v;
            break;
        case 's':
            if (!eq || k.nskills >= WW_ARRAY_SIZE(skills) || ww_parse_ll(eq + 1, 1, 9, &v) < 0) {
                fprintf(stderr, "wardwatch: --skill SKILL_CODE=LEVEL (1-9), at most 32\n");
                return 2;
            }
            *eq = '\0';
            codes[k.nskills] = optarg;
            skills[k.nskills++].level = (int)v;
            break;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc || !k.name || !k.provider_kind || !k.nskills) {
        fprintf(stderr, "wardwatch: training course add needs --name, --provider-kind and a "
                        "--skill\n");
        return 2;
    }
    if (open_db(c, false, &db) < 0)
        return 1;
    ret = 0;
    for (size_t i = 0; i < k.nskills && ret == 0; i++)
        if (inv_skill_by_code(db, codes[i], &skills[i].skill_id) < 0) {
            cli_refuse(c, "skill_id", "no_such", codes[i]);
            ret = 1;
        }
    if (ret == 0 && cli_change(c, db, &ch) == 0)
        printf("%lld\n", ch.id);
    else
        ret = 1;
    free(ch.after);
    ww_db_close(db);
    return ret;
}

static int cmd_training(struct cli *c, int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "course") == 0 && strcmp(argv[2], "add") == 0)
        return course_add(c, argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "import") == 0)
        return training_import(c, argc - 1, argv + 1);
    usage(stderr);
    return 2;
}

static int cmd_unit(struct cli *c, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "import") == 0)
        return csv_import(c, argc - 1, argv + 1, "unit", inv_import_units);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return unit_list(c, argc - 1);
    usage(stderr);
    return 2;
}

static int user_add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"login", required_argument, NULL, 'l'},
                                         {"role", required_argument, NULL, 'r'},
                                         {"name", required_argument, NULL, 'n'},
                                         {"password-stdin", no_argument, NULL, 'p'},
                                         {NULL, 0, NULL, 0}};
    const char *login = NULL, *role = NULL, *name = NULL, *why = NULL;
    char hash[DASH_PASSWORD_HASH_SIZE], generated[17] = "";
    char *pw = NULL;
    bool pw_stdin = false;
    struct ww_db *db = NULL;
    struct inv_user_new u = {.password_hash = hash};
    struct inv_change ch = {.action = "user.add", .object_type = "user",
                            .apply = inv_apply_user_add, .ctx = &u};
    int opt, ret = 1;

    optind = 0; /* 0: glibc starts afresh (permutation included) */
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'l': login = optarg; break;
        case 'r': role = optarg; break;
        case 'n': name = optarg; break;
        case 'p': pw_stdin = true; break;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc || !login || !role) {
        fprintf(stderr, "wardwatch: user add needs --login and --role\n");
        return 2;
    }
    if (pw_stdin) {
        pw = read_secret_line();
    } else {
        random_password(generated);
        pw = ww_strdup(generated);
    }
    if (!pw || dash_password_policy(login, pw, &why) < 0) {
        fprintf(stderr, "wardwatch: password: %s\n", why ? why : "none given");
        goto out;
    }
    if (dash_password_hash(pw, hash, sizeof(hash)) < 0 || open_db(c, false, &db) < 0)
        goto out;
    u.login = login;
    u.full_name = name;
    u.role = role;
    ch.audit_id = login;
    ret = cli_change(c, db, &ch);
    if (ret == 0 && !pw_stdin)
        printf("wardwatch: user '%s' created with password '%s' (shown only now)\n", login,
               generated);
    ret = ret == 0 ? 0 : 1;
out:
    memset(generated, 0, sizeof(generated));
    memset(hash, 0, sizeof(hash));
    free_secret(pw);
    free(ch.after);
    ww_db_close(db);
    return ret;
}

/* passwd, disable, enable, unlock: LOGIN [--password-stdin]. unlock: every (login, address)
 * pair of the login counts from zero (the throttle of dashboard/auth.c) */
static int user_change(struct cli *c, int argc, char **argv, const char *what)
{
    struct inv_user u = {0};
    struct ww_db *db = NULL;
    char hash[DASH_PASSWORD_HASH_SIZE], generated[17] = "", *pw = NULL;
    const char *why = NULL;
    bool pw_stdin = argc == 3 && strcmp(argv[2], "--password-stdin") == 0;
    struct inv_user_edit e = {.enabled = -1};
    struct inv_change ch = {.object_type = "user", .apply = inv_apply_user_edit, .ctx = &e};
    int ret = 1;

    if (argc != 2 && !pw_stdin) {
        usage(stderr);
        return 2;
    }
    if (open_db(c, false, &db) < 0)
        return 1;
    if (inv_user_get_login(db, argv[1], &u) < 0) {
        fprintf(stderr, "wardwatch: no user '%s'\n", argv[1]);
        goto out;
    }
    if (strcmp(what, "passwd") == 0) {
        if (pw_stdin) {
            pw = read_secret_line();
        } else {
            random_password(generated);
            pw = ww_strdup(generated);
        }
        if (!pw || dash_password_policy(u.login, pw, &why) < 0) {
            fprintf(stderr, "wardwatch: password: %s\n", why ? why : "none given");
            goto out;
        }
        if (dash_password_hash(pw, hash, sizeof(hash)) < 0)
            goto out;
    }
    if (strcmp(what, "passwd") == 0)
        e.password_hash = hash;
    else
        e.enabled = strcmp(what, "enable") == 0;
    ch.action = strcmp(what, "passwd") == 0 ? "user.change_password" : "user.change";
    ch.id = u.id;
    ch.audit_id = u.login;
    if (strcmp(what, "unlock") == 0)
        ch = (struct inv_change){.action = "user.unlock", .object_type = "user_lock",
                                 .apply = inv_apply_user_unlock, .key = u.login};
    ret = cli_change(c, db, &ch);
    if (ret == 0 && generated[0])
        printf("wardwatch: new password for '%s': '%s' (shown only now)\n", u.login, generated);
    if (ret == 0 && strcmp(what, "unlock") == 0)
        printf("wardwatch: '%s' unlocked\n", u.login);
    ret = ret == 0 ? 0 : 1;
out:
    memset(generated, 0, sizeof(generated));
    memset(hash, 0, sizeof(hash));
    free_secret(pw);
    free(ch.after);
    inv_user_release(&u);
    ww_db_close(db);
    return ret;
}

static int user_list(struct cli *c)
{
    struct inv_user *users = NULL;
    struct ww_db *db = NULL;
    size_t n = 0;

    if (open_db(c, false, &db) < 0)
        return 1;
    if (inv_user_list(db, &users, &n) < 0) {
        ww_db_close(db);
        return 1;
    }
    printf("%-5s %-20s %-8s %-9s %s\n", "ID", "LOGIN", "ROLE", "STATE", "NAME");
    for (size_t i = 0; i < n; i++)
        printf("%-5lld %-20s %-8s %-9s %s\n", users[i].id, users[i].login, users[i].role,
               users[i].enabled ? "enabled" : "disabled",
               users[i].full_name ? users[i].full_name : "");
    inv_user_list_free(users, n);
    ww_db_close(db);
    return 0;
}

static int cmd_user(struct cli *c, int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (dash_crypto_init() < 0)
        return 1;
    if (strcmp(argv[1], "add") == 0)
        return user_add(c, argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0 && argc == 2)
        return user_list(c);
    if (!strcmp(argv[1], "passwd") || !strcmp(argv[1], "disable") || !strcmp(argv[1], "enable") ||
        (!strcmp(argv[1], "unlock") && argc == 3))
        return user_change(c, argc - 1, argv + 1, argv[1]);
    usage(stderr);
    return 2;
}

#define DISCOVER_MAX 65536

/* append the IPv4 addresses of "a.b.c.d/n" (n >= 16; network and broadcast left out for
 * n <= 30) or of one address to @out; -EINVAL for anything else */
static int expand_cidr(const char *arg, char ***out, size_t *n)
{
    char addr[32], *slash;
    struct in_addr in;
    long long bits = 32;
    uint32_t base, count, first = 0, last;

    if (ww_strlcpy(addr, arg, sizeof(addr)) >= sizeof(addr))
        return -EINVAL;
    slash = strchr(addr, '/');
    if (slash) {
        *slash = '\0';
        if (ww_parse_ll(slash + 1, 16, 32, &bits) < 0)
            return -EINVAL;
    }
    if (inet_pton(AF_INET, addr, &in) != 1)
        return -EINVAL;
    count = bits == 32 ? 1 : 1u << (32 - bits);
    base = ntohl(in.s_addr) & (bits == 32 ? 0xffffffffu : ~(count - 1));
    last = count - 1;
    if (bits <= 30) {
        first = 1;
        last = count - 2;
    }
    if (*n + (last - first + 1) > DISCOVER_MAX)
        return -E2BIG;
    for (uint32_t i = first; i <= last; i++) {
        struct in_addr a = {.s_addr = htonl(base + i)};
        char text[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &a, text, sizeof(text));
        *out = ww_reallocarray(*out, *n + 1, sizeof(char *));
        (*out)[(*n)++] = ww_strdup(text);
    }
    return 0;
}

/* a device found by discovery: added with what it said of itself, in one audited change */
struct discovered {
    const struct inv_device *d;
    const struct coll_result *r;
};

static int apply_discovered(struct ww_db *db, void *ctx, struct inv_change *ch)
{
    const struct discovered *f = ctx;
    time_t now = time(NULL);
    const struct {
        const char *k, *v;
    } facts[] = {{"sysDescr", f->r->sys_descr}, {"sysObjectID", f->r->sys_object_id},
                 {"sysName", f->r->sys_name},   {"sysContact", f->r->sys_contact},
                 {"sysLocation", f->r->sys_location}};
    int ret = inv_device_add(db, f->d, &ch->id);

    for (size_t k = 0; k < WW_ARRAY_SIZE(facts) && ret == 0; k++)
        if (facts[k].v)
            ret = inv_fact_set(db, ch->id, facts[k].k, facts[k].v, now);
    return ret;
}

#define DISCOVER_NAME_TRIES 100

/*
 * discovered_name() - a name for a found device that no device has (inventory's rule,
 * inv_device_name_taken) and that no device found earlier in this run was given (@run, the
 * keys of @nrun names): its sysName, else "sysName (address)", else "sysName (address #k)";
 * the address alone when it gave no sysName. Into @out (INV_NAME_MAX + 1 bytes); 0, or
 * -EEXIST when every try is taken, -EIO.
 */
static int discovered_name(struct ww_db *db, const char *sys_name, const char *addr,
                           char *const *run, size_t nrun, char *out)
{
    char base[INV_NAME_MAX + 1], tail[64];
    int ret = -EEXIST;

    ww_utf8_copy(base, sys_name && *sys_name ? sys_name : addr, sizeof(base));
    for (int k = 0; k < DISCOVER_NAME_TRIES && ret == -EEXIST; k++) {
        char *key;
        bool seen = false;

        if (k == 0)
            tail[0] = '\0';
        else if (strcmp(base, addr) == 0) /* no sysName: "10.0.0.2 #2" */
            snprintf(tail, sizeof(tail), " #%d", k + 1);
        else if (k == 1)
            snprintf(tail, sizeof(tail), " (%s)", addr);
        else
            snprintf(tail, sizeof(tail), " (%s #%d)", addr, k);
        /* the base is cut, at a whole character, so that the tail fits */
        ww_utf8_copy(out, base, INV_NAME_MAX + 1 - strlen(tail));
        ww_strlcpy(out + strlen(out), tail, INV_NAME_MAX + 1 - strlen(out));
        key = ww_name_key(out);
        for (size_t i = 0; i < nrun && !seen; i++)
            seen = strcmp(run[i], key) == 0;
        free(key);
        ret = seen ? -EEXIST : inv_device_name_taken(db, out, 0, NULL);
    }
    return ret;
}

static int cmd_discover(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"port", required_argument, NULL, 'p'},      {"version", required_argument, NULL, 'V'},
        {"v3-user", required_argument, NULL, 'u'},   {"v3-level", required_argument, NULL, 'l'},
        {"auth-proto", required_argument, NULL, 'A'}, {"priv-proto", required_argument, NULL, 'P'},
        {"timeout-ms", required_argument, NULL, 't'}, {"dry-run", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0}};
    struct coll_target *targets = NULL;
    struct coll_result *results = NULL;
    struct ww_db *db = NULL;
    struct inv_actor who;
    char **addrs = NULL, **names = NULL; /* the keys of the names given in this run */
    size_t n = 0, found = 0, added = 0, nnames = 0;
    long long port = 161, timeout = 1000;
    const char *version = "2c", *user = NULL, *level = NULL, *aproto = NULL, *pproto = NULL;
    const char *community = getenv("WW_COMMUNITY");
    bool dry = false;
    int opt, ret = 1;

    optind = 0; /* 0: glibc starts afresh (permutation included) */
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'p':
            if (ww_parse_ll(optarg, 1, 65535, &port) < 0)
                return 2;
            break;
        case 'V': version = optarg; break;
        case 'u': user = optarg; break;
        case 'l': level = optarg; break;
        case 'A': aproto = optarg; break;
        case 'P': pproto = optarg; break;
        case 't':
            if (ww_parse_ll(optarg, 50, 60000, &timeout) < 0)
                return 2;
            break;
        case 'n': dry = true; break;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "wardwatch: discover needs at least one CIDR or address\n");
        return 2;
    }
    if (strcmp(version, "3") != 0 && !community)
        community = "public";
    for (int i = optind; i < argc; i++) {
        int r = expand_cidr(argv[i], &addrs, &n);
        if (r < 0) {
            fprintf(stderr, "wardwatch: '%s' is not an IPv4 address or a CIDR of /16 or "
                            "narrower%s\n", argv[i], r == -E2BIG ? " (at most 65536 in all)" : "");
            goto out;
        }
    }
    if (open_db(c, false, &db) < 0)
        goto out;
    targets = ww_calloc(n, sizeof(*targets));
    results = ww_calloc(n, sizeof(*results));
    for (size_t i = 0; i < n; i++) {
        targets[i] = (struct coll_target){.device_id = (long long)i + 1, .host = addrs[i],
                                          .port = port, .version = version,
                                          .community = community ? community : "",
                                          .v3_user = user, .v3_level = level,
                                          .v3_auth_proto = aproto,
                                          .v3_auth_key = getenv("WW_AUTH_KEY"),
                                          .v3_priv_proto = pproto,
                                          .v3_priv_key = getenv("WW_PRIV_KEY"),
                                          .timeout_ms = (long)timeout, .retries = 1,
                                          .deadline_ms = (long)timeout * 20};
    }
    coll_snmp_init();
    coll_poll_all(targets, results, n, 512);
    cli_actor(c, &who);
    printf("%-16s %-9s %-32s %s\n", "ADDRESS", "KIND", "NAME", "RESULT");
    for (size_t i = 0; i < n; i++) {
        struct coll_result *r = &results[i];
        struct coll_guess guess;
        struct inv_device d;
        struct discovered found_dev;
        struct inv_change ch = {0};
        char name[INV_NAME_MAX + 1], vendor[INV_NAME_MAX + 1], model[INV_NAME_MAX + 1];
        const char *said;
        int rc;

        if (!r->ok)
            continue;
        found++;
        inv_device_init(&d);
        rc = discovered_name(db, r->sys_name, addrs[i], names, nnames, name);
        d.name = name;
        d.host = addrs[i];
        d.snmp_port = port;
        coll_guess_kind(r, &guess);
        d.kind = (char *)(guess.kind && inv_device_kind_valid(guess.kind) ? guess.kind
                                                                            : "other");
        /* what the device said it is; cut to what inventory keeps, at a whole character */
        said = coll_result_vendor(r);
        ww_utf8_copy(vendor, said ? said : "", sizeof(vendor));
        said = coll_result_model(r);
        ww_utf8_copy(model, said ? said : "", sizeof(model));
        d.vendor = vendor;
        d.model = model;
        d.snmp_version = (char *)version;
        d.snmp_community = strcmp(version, "3") ? (char *)community : NULL;
        d.v3_user = (char *)user;
        d.v3_level = (char *)level;
        d.v3_auth_proto = (char *)aproto;
        d.v3_auth_key = getenv("WW_AUTH_KEY");
        d.v3_priv_proto = (char *)pproto;
        d.v3_priv_key = getenv("WW_PRIV_KEY");
        if (rc == 0 && !dry) {
            found_dev = (struct discovered){&d, r};
            ch = (struct inv_change){.actor = &who, .action = "device.discover",
                                     .object_type = "device", .apply = apply_discovered,
                                     .ctx = &found_dev};
            rc = inv_change_run(db, &ch); /* "already known" is said below, not as an error */
            free(ch.after);
            /* known by its address: it has its name already, not the one made for it */
            if (rc == -EEXIST && strcmp(ch.why.field, "host") == 0)
                ww_utf8_copy(name, r->sys_name && *r->sys_name ? r->sys_name : addrs[i],
                             sizeof(name));
        }
        if (rc == 0) {
            names = ww_reallocarray(names, nnames + 1, sizeof(*names));
            names[nnames++] = ww_name_key(name);
            added += !dry;
        }
        printf("%-16s %-9s %-32s %s\n", addrs[i], d.kind, name,
               rc == 0 ? (dry ? "found" : "added")
               : rc == -EEXIST && strcmp(ch.why.field, "host") == 0 ? "already known"
                                                                     : "not added");
        if (guess.why[0])
            printf("%-16s %-9s why: %s\n", "", "", guess.why);
    }
    printf("wardwatch: %zu of %zu addresses answered, %zu added\n", found, n, added);
    coll_snmp_shutdown();
    ret = 0;
out:
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    for (size_t i = 0; results && i < n; i++)
        coll_result_release(&results[i]);
    free(results);
    free(targets);
    for (size_t i = 0; i < n; i++)
        free(addrs[i]);
    free(addrs);
    ww_db_close(db);
    return ret;
}

/* a new Prometheus /metrics token: printed once, only its hash kept */
static int cmd_metrics_token(struct cli *c, int argc, char **argv)
{
    struct ww_db *db = NULL;
    struct inv_actor who;
    char token[64];
    int ret = 1;

    if (argc != 1) {
        usage(stderr);
        return 2;
    }
    if (dash_crypto_init() < 0 || open_db(c, false, &db) < 0)
        return 1;
    cli_actor(c, &who);
    if (dash_metrics_token_new(db, &who, token, sizeof(token)) == 0) {
        printf("%s\n", token);
        fprintf(stderr, "wardwatch: the new metrics token is above; it is shown only now. "
                        "Send it as 'Authorization: Bearer <token>' to /metrics; any older "
                        "token no longer works.\n");
        ret = 0;
    }
    memset(token, 0, sizeof(token));
    ww_db_close(db);
    return ret;
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

/* an amount of VND for the plan: a whole number from 0; else the refusal of @field
 * (not_integer, or out_of_range naming @what) is printed and -EINVAL returned */
static int plan_vnd(const struct cli *c, const char *s, const char *field, const char *what,
                    long long *out)
{
    if (ww_parse_ll(s, LLONG_MIN, LLONG_MAX, out) < 0) {
        cli_refuse(c, field, "not_integer", NULL);
        return -EINVAL;
    }
    if (*out < 0) {
        cli_refuse(c, field, "out_of_range", what);
        return -EINVAL;
    }
    return 0;
}

/* plan price ITEM VND [ITEM VND ...]: the plan's prices, one audited change (as the API's
 * PUT /api/v1/plan/prices) */
static int plan_price(struct cli *c, int argc, char **argv)
{
    struct inv_plan_prices_edit e = {0};
    struct inv_change ch = {.action = "plan.prices", .object_type = "plan_prices", .key = "all",
                            .may_be_new = true, .apply = inv_apply_plan_prices, .ctx = &e};
    struct inv_plan_price *p;
    struct ww_db *db = NULL;
    size_t n = 0;
    int ret = 1;

    if (argc < 3 || (argc - 1) % 2 != 0 || argc > 129) {
        fprintf(stderr, "wardwatch: plan price needs ITEM VND pairs\n");
        return 2;
    }
    p = ww_calloc((size_t)argc / 2 + 1, sizeof(*p));
    for (int i = 1; i + 1 < argc; i += 2) {
        p[n].item = argv[i];
        if (plan_vnd(c, argv[i + 1], "price_vnd", argv[i], &p[n++].price_vnd) < 0)
            goto out;
    }
    if (open_db(c, false, &db) < 0)
        goto out;
    e = (struct inv_plan_prices_edit){p, n};
    if (cli_change(c, db, &ch) == 0)
        ret = 0;
out:
    free(ch.after);
    free(p);
    ww_db_close(db);
    return ret;
}

/* plan budget UNIT_CODE YEAR VND [YEAR VND ...]: a unit's yearly budgets, one audited change
 * (as the API's PUT /api/v1/plan/budgets) */
static int plan_budget(struct cli *c, int argc, char **argv)
{
    struct inv_plan_budgets_edit e = {0};
    struct inv_change ch = {.action = "plan.budgets", .object_type = "plan_budgets",
                            .key = "all", .may_be_new = true, .apply = inv_apply_plan_budgets,
                            .ctx = &e};
    struct inv_plan_budget *b;
    struct ww_db *db = NULL;
    long long unit = 0, year;
    size_t n = 0;
    int ret = 1;

    if (argc < 4 || (argc - 2) % 2 != 0 || argc > 2 + 2 * 200) {
        fprintf(stderr, "wardwatch: plan budget needs UNIT_CODE and YEAR VND pairs\n");
        return 2;
    }
    b = ww_calloc((size_t)argc / 2 + 1, sizeof(*b));
    for (int i = 2; i + 1 < argc; i += 2) {
        if (ww_parse_ll(argv[i], 0, INT_MAX, &year) < 0) {
            cli_refuse(c, "year", "not_integer", NULL);
            goto out;
        }
        b[n].year = (int)year;
        if (plan_vnd(c, argv[i + 1], "amount_vnd", argv[i], &b[n++].amount_vnd) < 0)
            goto out;
    }
    if (open_db(c, false, &db) < 0 || unit_by_code(c, db, argv[1], &unit) < 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        b[i].unit_id = unit;
    e = (struct inv_plan_budgets_edit){b, n};
    if (cli_change(c, db, &ch) == 0)
        ret = 0;
out:
    free(ch.after);
    free(b);
    ww_db_close(db);
    return ret;
}

/* the replacement plan as text (for admins and the bench); links are the dashboard's (their
 * p95 comes from RRD files through the busiest links), so the CLI plans devices only */
static int cmd_plan(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"horizon", required_argument, NULL, 'H'},
                                         {"unit", required_argument, NULL, 'u'},
                                         {"today", required_argument, NULL, 't'},
                                         {"priority", no_argument, NULL, 'p'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {NULL, 0, NULL, 0}};
    struct inv_rules *rules = NULL;
    struct inv_plan_data d = {0};
    struct inv_plan_input in;
    struct inv_plan p = {0};
    struct ww_db *db = NULL;
    struct timespec t0, th, t1, t2;
    struct inv_health *health = NULL;
    size_t nhealth = 0;
    long long horizon = 0, unit = 0;
    bool priority = false, quiet = false;
    char today[16] = "", err[256];
    int opt, ret = 1;

    if (argc >= 2 && strcmp(argv[1], "price") == 0)
        return plan_price(c, argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "budget") == 0)
        return plan_budget(c, argc - 1, argv + 1);
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'H':
            if (ww_parse_ll(optarg, 1, 20, &horizon) < 0)
                goto bad;
            break;
        case 'u':
            if (ww_parse_ll(optarg, 1, LLONG_MAX, &unit) < 0)
                goto bad;
            break;
        case 't':
            if (strlen(optarg) != 10)
                goto bad;
            ww_strlcpy(today, optarg, sizeof(today));
            break;
        case 'p': priority = true; break;
        case 'q': quiet = true; break;
        default: goto bad;
        }
    }
    if (optind != argc)
        goto bad;
    if (!today[0] && ww_office_today(today) < 0)
        return 1;
    if (inv_rules_load(c->cfg.rules_dir ? c->cfg.rules_dir : WW_RULES_DIR, &rules, err,
                       sizeof(err)) < 0) {
        fprintf(stderr, "wardwatch: plan: rules: %s\n", err);
        return 1;
    }
    if (open_db(c, false, &db) < 0)
        goto out;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (inv_plan_health_read(db, today, &health, &nhealth) < 0)
        goto out;
    clock_gettime(CLOCK_MONOTONIC, &th);
    if (inv_plan_load_with(db, rules, today, health, nhealth, &d) < 0)
        goto out;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    inv_plan_input_of(&d, today, (int)horizon, &in);
    if (inv_plan_build(&in, &p) < 0)
        goto out;
    clock_gettime(CLOCK_MONOTONIC, &t2);
    if (quiet) {
        size_t planned = 0;
        for (size_t i = 0; i < p.n; i++)
            planned += p.items[i].year > 0;
        printf("devices %zu units %zu items %zu planned %zu health_ms %.1f records_ms %.1f "
               "build_ms %.1f\n", d.ndevices, d.nunits, p.n, planned, ms_between(&t0, &th),
               ms_between(&th, &t1), ms_between(&t1, &t2));
        ret = 0;
        goto out;
    }
    if (priority) {
        /* the plan's own order is by year; the list is every scored device, highest first */
        for (long long want = LLONG_MAX;;) {
            long long best = -1;
            for (size_t i = 0; i < d.ndevices; i++)
                if (d.devices[i].score.total < want && d.devices[i].score.total > best)
                    best = d.devices[i].score.total;
            if (best <= 0)
                break;
            for (size_t i = 0; i < d.ndevices; i++) {
                const struct inv_plan_device *v = &d.devices[i];
                if (v->score.total != best || (unit && v->unit_id != unit))
                    continue;
                printf("%4lld  #%-6lld %s:", v->score.total, v->device_id, v->name);
                for (size_t k = 0; k < v->score.n; k++)
                    printf(" %s(%lld,%lld)+%lld", v->score.t[k].code, v->score.t[k].p0,
                           v->score.t[k].p1, v->score.t[k].points);
                printf("\n");
            }
            want = best;
        }
        ret = 0;
        goto out;
    }
    printf("plan %d-%d (today %s)\n", p.first_year, p.first_year + p.horizon - 1, today);
    for (size_t k = 0; k < p.ncells; k++) {
        const struct inv_plan_cell *cell = &p.cells[k];
        if ((unit && cell->unit_id != unit) || (!cell->items && !cell->budget_vnd))
            continue;
        printf("%d unit %lld: %lld items, %lld of %lld VND, left %lld\n", cell->year,
               cell->unit_id, cell->items, cell->used_vnd, cell->budget_vnd,
               cell->budget_vnd - cell->used_vnd);
        for (size_t i = 0; i < p.n; i++) {
            const struct inv_plan_item *it = &p.items[i];
            if (it->year != cell->year || it->unit_id != cell->unit_id)
                continue;
            printf("    #%-6lld %-13s %12lld VND  score %lld%s\n", it->device_id, it->action,
                   it->price_vnd, it->score, it->pinned ? "  pinned" : "");
        }
    }
    for (size_t i = 0; i < p.n; i++) {
        const struct inv_plan_item *it = &p.items[i];
        if (it->year || (unit && it->unit_id != unit))
            continue;
        printf("%-9s unit %lld #%-6lld %-13s %12lld VND  score %lld\n", it->state, it->unit_id,
               it->device_id, it->action, it->price_vnd, it->score);
    }
    ret = 0;
    goto out;
bad:
    usage(stderr);
    return 2;
out:
    inv_plan_release(&p);
    inv_plan_data_release(&d);
    free(health);
    if (db)
        ww_db_close(db);
    inv_rules_free(rules);
    return ret;
}

static int cmd_demo_gen(struct cli *c, int argc, char **argv)
{
    struct demo_device *devs = NULL;
    size_t n = 0;

    const char *dir = argv[1];
    time_t first = time(NULL); /* the office's "today" for its register */
    struct tm tm;

    /* demo-gen [--since EPOCH] DIR: the office has been running since EPOCH */
    if (argc == 4 && strcmp(argv[1], "--since") == 0) {
        long long since;
        time_t now = time(NULL);
        if (ww_parse_ll(argv[2], 0, (long long)now, &since) < 0) {
            fprintf(stderr, "wardwatch: demo-gen: --since wants a time in seconds, not '%s'\n",
                    argv[2]);
            return 2;
        }
        demo_set_running((uint64_t)(now - since));
        first = (time_t)since;
        dir = argv[3];
    } else if (argc != 2) {
        usage(stderr);
        return 2;
    }
    if (demo_generate(dir, 2025, "127.0.1.", 1161, &devs, &n) < 0)
        return 1;
    /* the register as of the demo's first start, so that it stays what it was; the day of
     * traffic before it (traffic.pcap, for the probe) */
    if (!localtime_r(&first, &tm) ||
        demo_register(dir, 2025, tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
                      (unsigned)tm.tm_mday) < 0 ||
        demo_capture(dir, 2025, devs, n, first) < 0) {
        free(devs);
        return 1;
    }
    printf("wardwatch: %zu demo devices written to %s\n", n, dir);
    free(devs);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"data-dir", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *config_path = NULL, *data_dir = NULL;
    struct coll_profiles *profiles = NULL;
    struct cli c;
    int opt, ret = 1;

    ww_log_init("wardwatch", WW_LOG_WARN);
    /* '+': stop at the command, its options are its own */
    while ((opt = getopt_long(argc, argv, "+c:d:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'd': data_dir = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    if (!config_path && access(WW_DEFAULT_CONFIG, R_OK) == 0 && !data_dir)
        config_path = WW_DEFAULT_CONFIG;
    if (ww_config_load(config_path, &c.cfg) < 0)
        return 1;
    if (data_dir && ww_config_set(&c.cfg, "general", "data_dir", data_dir) < 0)
        goto out;
    c.db_path = ww_asprintf("%s/wardwatch.db", c.cfg.data_dir);
    {
        /* the office's zone, as the daemons have it: a CLI change's day (an assignment
         * closed, a unit moved) and the plan's "today" are the office's day, not the
         * machine's */
        struct ww_office office;

        if (ww_office_init(c.cfg.timezone, c.cfg.office_hours, c.cfg.office_days, &office) < 0 ||
            ww_office_use_zone(&office) < 0)
            goto out;
    }
    {
        struct passwd *pw = getpwuid(getuid());
        snprintf(c.os_user, sizeof(c.os_user), "%s@cli", pw && pw->pw_name ? pw->pw_name : "?");
    }

    argc -= optind;
    argv += optind;
    if (strcmp(argv[0], "init") == 0)
        ret = dash_crypto_init() < 0 ? 1 : cmd_init(&c, argc, argv);
    else if (strcmp(argv[0], "device") == 0)
        ret = cmd_device(&c, argc, argv);
    else if (strcmp(argv[0], "unit") == 0)
        ret = cmd_unit(&c, argc, argv);
    else if (strcmp(argv[0], "user") == 0)
        ret = cmd_user(&c, argc, argv);
    else if (strcmp(argv[0], "staff") == 0)
        ret = cmd_staff(&c, argc, argv);
    else if (strcmp(argv[0], "training") == 0)
        ret = cmd_training(&c, argc, argv);
    else if (strcmp(argv[0], "discover") == 0)
        ret = coll_profiles_start(&c.cfg, &profiles) < 0 ? 1 : cmd_discover(&c, argc, argv);
    else if (strcmp(argv[0], "probe") == 0)
        ret = coll_profiles_start(&c.cfg, &profiles) < 0 ? 1 : cli_probe(&c.cfg, argc, argv);
    else if (strcmp(argv[0], "metrics-token") == 0)
        ret = cmd_metrics_token(&c, argc, argv);
    else if (strcmp(argv[0], "plan") == 0)
        ret = cmd_plan(&c, argc, argv);
    else if (strcmp(argv[0], "demo-gen") == 0)
        ret = cmd_demo_gen(&c, argc, argv);
    else {
        usage(stderr);
        ret = 2;
    }
    free(c.db_path);
out:
    coll_profiles_use(NULL);
    coll_profiles_free(profiles);
    ww_config_release(&c.cfg);
    return ret;
}
