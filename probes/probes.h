/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * probes.h - the public face of probes/: the passive decoder (decode.c), the bounded host
 * and protocol accounting (account.c), capture sources (capture.c: libpcap offline and
 * live, and a pcapng reader for files libpcap refuses) and the capability drop (caps.c).
 * Used by wardwatch-probe (main.c) and the tests; no other module includes it.
 */
#ifndef WW_PROBES_H
#define WW_PROBES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- the decoder (decode.c) ------------------------------------------------------------ */

/* link types, as numbered in capture files (LINKTYPE_*) and by pcap_datalink() (DLT_*);
 * where the two differ both are accepted (raw IP: DLT_RAW 12 or 14, LINKTYPE_RAW 101) */
enum probe_link {
    PROBE_LINK_NULL = 0,     /* BSD loopback: 4-byte address family, host byte order */
    PROBE_LINK_ETHER = 1,    /* Ethernet II / 802.3, with 802.1Q/802.1ad tags */
    PROBE_LINK_RAW_DLT = 12, /* raw IP (Linux's DLT_RAW) */
    PROBE_LINK_RAW_BSD = 14, /* raw IP (OpenBSD's DLT_RAW) */
    PROBE_LINK_RAW = 101,    /* LINKTYPE_RAW */
    PROBE_LINK_LOOP = 108,   /* OpenBSD loopback: family in network byte order */
    PROBE_LINK_SLL = 113,    /* Linux cooked capture v1 (16-byte header) */
    PROBE_LINK_IPV4 = 228,   /* LINKTYPE_IPV4 */
    PROBE_LINK_IPV6 = 229,   /* LINKTYPE_IPV6 */
    PROBE_LINK_SLL2 = 276,   /* Linux cooked capture v2 (20-byte header) */
};

/* why a frame was not (fully) read; the names (probe_drop_name()) are stable */
enum probe_drop {
    PROBE_OK = 0,
    PROBE_DROP_LINK_UNKNOWN,   /* a link type this decoder does not read */
    PROBE_DROP_TRUNC_LINK,     /* cut inside the link-layer header */
    PROBE_DROP_TRUNC_VLAN,     /* cut inside an 802.1Q/802.1ad tag */
    PROBE_DROP_TOO_MANY_TAGS,  /* more than PROBE_MAX_TAGS VLAN tags */
    PROBE_DROP_TRUNC_IP,       /* cut inside an IPv4/IPv6 fixed header */
    PROBE_DROP_BAD_IP_VERSION, /* the version nibble is not the one the link layer named */
    PROBE_DROP_BAD_IP_HLEN,    /* IPv4 header length below 20 or past the captured bytes */
    PROBE_DROP_BAD_IP_LEN,     /* IPv4 total length below its header length */
    PROBE_DROP_TRUNC_IPV6_EXT, /* cut inside an IPv6 extension header */
    PROBE_DROP_TOO_MANY_EXT,   /* more than PROBE_MAX_EXT IPv6 extension headers */
    PROBE_DROP_TOO_DEEP,       /* tunnels nested past PROBE_MAX_IP headers */
    PROBE_DROP_TRUNC_ARP,      /* an ARP for IPv4 over Ethernet cut before its addresses */
    PROBE_DROP_BAD_ARP,        /* ARP with address sizes other than 6/4 */
    PROBE_DROP_BAD_LEN,        /* the record's original length is below its captured one */
    PROBE_DROP_COUNT
};

/* what a frame carried besides IP, and cuts that do not stop the IP accounting */
enum probe_note {
    PROBE_NOTE_TRUNC_L4 = 1u << 0, /* transport header cut: no ports (IP still counted) */
    PROBE_NOTE_FRAGMENT = 1u << 1, /* a non-first fragment: no ports */
    PROBE_NOTE_NOT_IP = 1u << 2,   /* no IP in the frame (ARP, CDP, STP, LLC...) */
    PROBE_NOTE_BAD_NDP = 1u << 3,  /* an NDP message too short for its target */
    PROBE_NOTE_BAD_DHCP = 1u << 4, /* a DHCP message cut or with bad options */
};

#define PROBE_MAX_TAGS 4 /* VLAN tags read before a frame is refused */
#define PROBE_MAX_EXT 8  /* IPv6 extension headers read before a frame is refused */
#define PROBE_MAX_IP 3   /* IP headers in one frame (outer + tunnelled) */

struct probe_ip {
    uint8_t family;           /* 4 or 6 */
    uint8_t proto;            /* the transport protocol (after IPv6 extension headers) */
    uint8_t src[16], dst[16]; /* IPv4 in the first 4 bytes, the rest zero */
};

/* where a MAC/IP pair was seen */
enum probe_pair_src { PROBE_PAIR_ARP = 1, PROBE_PAIR_NDP, PROBE_PAIR_DHCP };

struct probe_pair {
    uint8_t source; /* enum probe_pair_src; 0: none in this frame */
    uint8_t family; /* 4 or 6 */
    uint8_t mac[6];
    uint8_t ip[16];
};

/*
 * struct probe_pkt - what probe_decode() read from one frame. Everything in it was checked
 * against the captured length; nothing points into the buffer.
 */
struct probe_pkt {
    uint32_t wire_len; /* the frame's original length (tshark's frame.len): what bytes count */
    uint8_t drop;      /* enum probe_drop: PROBE_OK, or why the frame was skipped */
    uint8_t notes;     /* enum probe_note bits */
    uint8_t ntags;     /* VLAN tags read (outer first) */
    uint8_t nip;       /* IP headers read: ip[0] outer, then tunnelled ones */
    uint16_t tags[PROBE_MAX_TAGS]; /* VLAN ids */
    uint16_t ethertype;            /* the innermost ethertype; 0 when the link layer has none */
    bool has_mac;                  /* src_mac/dst_mac read from the link layer */
    bool has_ports;                /* sport/dport of the innermost IP's TCP/UDP/SCTP header */
    uint8_t src_mac[6], dst_mac[6];
    uint16_t sport, dport;
    struct probe_ip ip[PROBE_MAX_IP];
    struct probe_pair pair; /* a MAC/IP pair from ARP, NDP or DHCP */
};

/*
 * probe_decode() - read one captured frame.
 * @link:    the capture's link type (enum probe_link; others give PROBE_DROP_LINK_UNKNOWN).
 * @buf:     the captured bytes; borrowed, read only within @caplen. May be NULL when @caplen
 *           is 0.
 * @caplen:  bytes captured; @len: the frame's original length.
 * @out:     filled in whole (zeroed first).
 * Context: pure, any thread, no allocation.
 * Returns: out->drop (PROBE_OK = 0 when the frame was read; IP headers found are in out->ip
 *          even when only the transport header was cut, as tshark counts them).
 */
int probe_decode(int link, const uint8_t *buf, uint32_t caplen, uint32_t len,
                 struct probe_pkt *out);

/* probe_drop_name() - "trunc_ip" etc. for enum probe_drop; "?" for others */
const char *probe_drop_name(int drop);

/* probe_link_known() - does probe_decode() read this link type? */
bool probe_link_known(int link);

/* ---- accounting (account.c) ------------------------------------------------------------ */

struct probe_host {
    uint8_t family; /* 4 or 6; 0: an empty slot */
    uint8_t addr[16];
    uint64_t tx_pkts, tx_bytes, rx_pkts, rx_bytes;
    uint64_t win_bytes;            /* bytes (tx + rx) in the current 5-minute window */
    int64_t first_seen, last_seen; /* capture time, epoch seconds */
};

struct probe_talker {
    uint8_t family;
    uint8_t addr[16];
    uint64_t bytes;
};

#define PROBE_TOP_TALKERS 10
#define PROBE_WINDOW_S 300
#define PROBE_MAX_WINDOWS 288 /* one day of 5-minute windows kept; older ones are dropped */
#define PROBE_MAX_SUBNETS 64
#define PROBE_MAX_HOURS (24 * 62) /* two months of hours kept for the uplink picture */

struct probe_port {
    uint8_t proto; /* 6 TCP, 17 UDP, 132 SCTP */
    uint16_t port;
    uint64_t pkts, bytes;
};

#define PROBE_TOP_PORTS 10

/* the protocol classes of a window's mix (the innermost IP's protocol) */
enum probe_class { PROBE_CLASS_TCP, PROBE_CLASS_UDP, PROBE_CLASS_ICMP, PROBE_CLASS_OTHER, PROBE_NCLASS };
/* probe_class_name() - "tcp", "udp", "icmp" (ICMP and ICMPv6), "other"; stable names */
const char *probe_class_name(int cls);

/* one local subnet's traffic in one window (the subnets in probe_acct_subnets() order) */
struct probe_wsubnet {
    uint64_t tx_pkts, tx_bytes, rx_pkts, rx_bytes;
};

struct probe_window {
    int64_t start; /* epoch seconds, a multiple of PROBE_WINDOW_S */
    uint64_t pkts, bytes;
    unsigned ntop;
    struct probe_talker top[PROBE_TOP_TALKERS]; /* by bytes, largest first */
    uint64_t cls_pkts[PROBE_NCLASS], cls_bytes[PROBE_NCLASS]; /* the protocol mix */
    unsigned nports;
    struct probe_port ports[PROBE_TOP_PORTS]; /* the window's top service ports, by bytes */
    unsigned nsub;                            /* the local subnets when the window closed */
    struct probe_wsubnet sub[PROBE_MAX_SUBNETS];
};

struct probe_subnet {
    uint8_t family, prefix;
    uint8_t addr[16];
    uint64_t tx_pkts, tx_bytes, rx_pkts, rx_bytes;
};

/* one hour of the uplink: bytes between a local subnet and any address outside them all */
struct probe_hour {
    int64_t start;                 /* epoch seconds, a multiple of 3600 */
    uint64_t up_bytes, down_bytes; /* leaving the office, coming in */
};

struct probe_acct;

/*
 * probe_acct_new() - empty accounting with room for @max_hosts hosts (rounded up to a
 * power of two >= 16 slots, at most 3/4 used). When full, a new host evicts the smallest
 * of the hosts its probe passes (counted in evicted_hosts / evicted_bytes). Never NULL.
 */
struct probe_acct *probe_acct_new(size_t max_hosts);
void probe_acct_free(struct probe_acct *a);

/* probe_acct_add_subnet() - "192.168.1.0/24" or "fd00::/64" as a local subnet; -EINVAL for
 * bad text, -ENOSPC past PROBE_MAX_SUBNETS */
int probe_acct_add_subnet(struct probe_acct *a, const char *cidr);

/*
 * probe_acct_add() - count one decoded frame at capture time @ts (epoch seconds): every IP
 * header's source (tx) and destination (rx) get the frame's wire_len, as tshark does (a
 * frame from an address to itself counts twice for it); the innermost header gives the
 * protocol and ports. A dropped frame only counts in the drop table.
 * Context: one thread at a time per @a.
 */
void probe_acct_add(struct probe_acct *a, const struct probe_pkt *p, int64_t ts);

/* probe_acct_finish() - close the current 5-minute window (call at the end of a capture) */
void probe_acct_finish(struct probe_acct *a);

struct probe_totals {
    uint64_t frames, bytes; /* every frame given, wire bytes */
    uint64_t ip_frames;     /* frames with at least one IP header */
    uint64_t drops[PROBE_DROP_COUNT];
    uint64_t trunc_l4, fragments, not_ip;
    uint64_t hosts;                          /* in the table now */
    uint64_t evicted_hosts, evicted_bytes;   /* pushed out of the full table, their bytes */
    uint64_t windows_dropped, hours_dropped; /* history past its bound */
};
void probe_acct_totals(const struct probe_acct *a, struct probe_totals *out);

/*
 * probe_acct_hosts() - the hosts, largest (tx + rx bytes) first, then by address.
 * @out_hosts: a new array (free() it) of *out_n copies; NULL when there are none.
 */
void probe_acct_hosts(const struct probe_acct *a, struct probe_host **out_hosts, size_t *out_n);

/* the protocol mix (frames and bytes by the innermost IP's protocol number) */
void probe_acct_proto(const struct probe_acct *a, unsigned proto, uint64_t *out_pkts,
                      uint64_t *out_bytes);

/* probe_acct_top_ports() - up to @max ports (the lower of source and destination port of
 * each frame: the service side) by bytes, largest first, into @out; returns how many */
size_t probe_acct_top_ports(const struct probe_acct *a, struct probe_port *out, size_t max);

/* the local subnets with their totals (borrowed, valid until the next call on @a) */
const struct probe_subnet *probe_acct_subnets(const struct probe_acct *a, size_t *out_n);
/* the closed 5-minute windows, oldest first (borrowed, as above) */
const struct probe_window *probe_acct_windows(struct probe_acct *a, size_t *out_n);
/* the hours with uplink traffic, oldest first (borrowed, as above) */
const struct probe_hour *probe_acct_hours(const struct probe_acct *a, size_t *out_n);

/* probe_addr_text() - an address as inet_ntop writes it; @buf of at least 46 bytes */
const char *probe_addr_text(uint8_t family, const uint8_t *addr, char *buf, size_t size);

/* ---- capture sources (capture.c) ------------------------------------------------------- */

struct probe_capture;

/* one frame as a source hands it: borrowed, valid until the next probe_capture_next() */
struct probe_frame {
    int link;
    int64_t ts_sec;
    uint32_t caplen, len;
    const uint8_t *data;
};

/*
 * probe_capture_open_file() - a pcap or pcapng file through libpcap's pcap_open_offline();
 * a pcapng file whose interfaces have different link types (which libpcap 1.10 refuses) is
 * read by our own block reader instead, each frame with its interface's link type.
 * @filter: a BPF filter, compiled once; NULL or "" for none (not applied by our own reader:
 *          -EINVAL when a filter is given for such a file).
 * Returns: 0, -ENOENT/-EIO when the file cannot be read, -EINVAL for a bad filter.
 */
int probe_capture_open_file(const char *path, const char *filter, struct probe_capture **out);

/*
 * probe_capture_open_live() - a live interface (needs CAP_NET_RAW), promiscuous, snaplen
 * PROBE_SNAPLEN, @filter compiled once. Returns 0, -ENODEV, -EPERM, -EINVAL (bad filter).
 */
int probe_capture_open_live(const char *ifname, const char *filter, struct probe_capture **out);
#define PROBE_SNAPLEN 262144
#define PROBE_WAKE_MS 200

/*
 * probe_capture_next() - the next frame into @out.
 * Returns: 1 a frame, 0 the end of a file (or, live, no frame within PROBE_WAKE_MS: call
 *          again), -EINTR after probe_capture_stop(), -EIO on a read error (logged).
 * Malformed records inside a pcapng file read by our reader end the file with -EIO.
 */
int probe_capture_next(struct probe_capture *c, struct probe_frame *out);

/* probe_capture_stop() - make a blocked probe_capture_next() return -EINTR (async-signal
 * safe: pcap_breakloop()) */
void probe_capture_stop(struct probe_capture *c);

/* probe_capture_stats() - a live capture's received / dropped by the kernel; -ENOTSUP for
 * files */
int probe_capture_stats(struct probe_capture *c, uint64_t *out_recv, uint64_t *out_drop);

void probe_capture_free(struct probe_capture *c);

/*
 * probe_pcapng_next() - the pcapng block reader on a buffer in memory (what the file
 * reader uses; exported for the tests and the fuzz target). @pos: in/out offset of the next
 * block; @links/@nlinks: in/out link types of the interfaces seen so far (at most 64).
 * Returns: 1 a frame in @out (its data points into @buf), 0 the end, -EIO malformed.
 */
struct probe_pcapng {
    bool swapped;
    uint32_t nlinks;
    int links[64];
    uint32_t tsres[64]; /* units per second */
};
int probe_pcapng_next(const uint8_t *buf, size_t size, size_t *pos, struct probe_pcapng *st,
                      struct probe_frame *out);

/* ---- capabilities (caps.c) ------------------------------------------------------------- */

/* probe_caps_have_net_raw() - may this process open a live capture (CAP_NET_RAW in its
 * permitted set)? */
bool probe_caps_have_net_raw(void);

/*
 * probe_caps_drop_all() - drop every capability: the bounding set (when CAP_SETPCAP allows),
 * then the effective, permitted and inheritable sets, and no_new_privs so none comes back
 * through exec. Called once the capture handle is open.
 * Returns: 0 (logged: "capabilities dropped"), -EPERM when capset() refused.
 */
int probe_caps_drop_all(void);

/* probe_caps_effective() - CapEff of this process as /proc shows it (a bit mask) */
uint64_t probe_caps_effective(void);

/* ---- active checks (check.c) ------------------------------------------------------------ */

struct inv_check;
struct inv_check_result;

#define PROBE_CHECK_ECHOES 5           /* ICMP echoes per check and round */
#define PROBE_CHECK_GAP_MS 100         /* between a check's echoes */
#define PROBE_CHECK_REDIRS 3           /* HTTP redirects followed at most */
#define PROBE_CHECK_BODY_MAX (256 << 10) /* body bytes read for the expected text */

/* the ICMP sockets of the checks, opened once while the capability is held */
struct probe_icmp {
    int fd4, fd6;    /* -1: not allowed */
    bool raw4, raw6; /* a raw socket (else a ping socket) */
    uint16_t ident;  /* a raw socket's echo identifier */
};
/* probe_icmp_open() - both families' sockets (common/icmp.c); 0, or -EPERM (logged) when
 * neither could be opened (the struct is still valid: ICMP checks say no_socket) */
int probe_icmp_open(struct probe_icmp *out);
void probe_icmp_close(struct probe_icmp *s);

/*
 * probe_checks_run() - run @n checks (borrowed, validated by inventory) at once, from this
 * thread, and fill out[i] for checks[i]: up, latency (ms; HTTP: total time, TCP: connect,
 * DNS: resolution, ICMP: mean round trip), ICMP loss and jitter, HTTP status and certificate
 * days left, and when down a reason code (no_address, refused, timeout, redirect_refused,
 * too_many_redirects, tls_verify, tls, status, expect, no_reply, no_socket, not_run,
 * failed). @ca_file: the certificate authorities HTTPS trusts (NULL: the system's). @now: the wall clock's epoch seconds (the caller's: injectable) for the results'
 * time and the certificate's days. Returns 0 or -EIO (the results so far are filled).
 */
int probe_checks_run(const struct inv_check *checks, size_t n, const struct probe_icmp *icmp,
                     const char *ca_file, int64_t now, struct inv_check_result *out);

/*
 * probe_check_store() - one result into the check's RRD file, through storage/ opened on
 * $data_dir/rrd/checks (storage names a file by id and metric: rrd/checks/<check id>/
 * PROBE_CHECK_METRIC.rrd; its step the check's interval). Data sources, in order: up (0/1),
 * latency_ms, loss_pct, jitter_ms (unknown when not measured). 0 or storage's error.
 */
#define PROBE_CHECK_METRIC "check"
#define PROBE_CHECK_RRD_DIR "rrd/checks" /* under $data_dir */
struct store;
int probe_check_store(struct store *st, const struct inv_check *c,
                      const struct inv_check_result *r);

#endif
