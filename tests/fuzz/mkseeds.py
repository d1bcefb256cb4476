#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# mkseeds.py - write the binary seeds: tests/fuzz/ber/corpus and tests/fuzz/usm/corpus (the
# Responses and Reports agents send, encoded here by hand (X.690) with the request ids the
# targets expect: 0x1234 for a counter poll, msgID 0x2a for the engine probe) and
# tests/fuzz/json/corpus (a route byte, then a body from dashboard/API.md). Run from
# anywhere; it rewrites only the seed_* files it owns.
import os

here = os.path.dirname(os.path.abspath(__file__))


def length(n, long_form=False):
    if n < 128 and not long_form:
        return bytes([n])
    if n < 256:
        return bytes([0x81, n])
    return bytes([0x82, n >> 8, n & 0xff])


def tlv(tag, body, long_form=False):
    return bytes([tag]) + length(len(body), long_form) + body


def integer(v, tag=0x02):
    n = 1
    while not -(1 << (8 * n - 1)) <= v < (1 << (8 * n - 1)):
        n += 1
    return tlv(tag, v.to_bytes(n, 'big', signed=True))


def unsigned(v, tag):
    n = 1
    while v >= (1 << (8 * n - 1)):
        n += 1
    return tlv(tag, v.to_bytes(n, 'big'))


def oid(text):
    sub = [int(x) for x in text.split('.')]
    out = bytearray()
    for i, v in enumerate([sub[0] * 40 + sub[1]] + sub[2:]):
        grp = [v & 0x7f]
        v >>= 7
        while v:
            grp.append(0x80 | (v & 0x7f))
            v >>= 7
        out += bytes(reversed(grp))
    return tlv(0x06, bytes(out))


def response(varbinds, version=1, community=b'public', reqid=0x1234, errstat=0, errindex=0,
             long_form=False):
    vbl = b''.join(tlv(0x30, oid(name) + value) for name, value in varbinds)
    pdu = integer(reqid) + integer(errstat) + integer(errindex) + tlv(0x30, vbl, long_form)
    return tlv(0x30, integer(version) + tlv(0x04, community) + tlv(0xa2, pdu, long_form),
               long_form)


IF = '1.3.6.1.2.1.2.2.1.'
IFX = '1.3.6.1.2.1.31.1.1.1.'
ber = {
    'seed_counters_v2c': response([
        (IFX + '6.3', unsigned(123456789012, 0x46)),
        (IFX + '10.3', unsigned(987654321, 0x46)),
        (IF + '8.3', integer(1)),
        (IF + '14.3', unsigned(17, 0x41)),
        (IF + '20.3', unsigned(0, 0x41)),
        ('1.3.6.1.2.1.1.3.0', unsigned(4294967295, 0x43)),
    ]),
    'seed_counters_v1': response([
        (IF + '10.2', unsigned(4000000000, 0x41)),
        (IF + '16.2', unsigned(2, 0x41)),
        (IF + '5.2', unsigned(1000000000, 0x42)),
    ], version=0),
    'seed_exceptions': response([
        (IFX + '6.7', tlv(0x81, b'')),          # noSuchInstance
        (IFX + '10.7', tlv(0x80, b'')),         # noSuchObject
        ('1.3.6.1.2.1.1.5.0', tlv(0x04, b'core-sw')),
        ('1.3.6.1.2.1.25.3.3.1.2.196608', integer(-1)),
        ('1.3.6.1.4.1.2021.10.1.5.1', tlv(0x05, b'')),
    ]),
    'seed_error_status': response([(IF + '10.9', tlv(0x05, b''))], errstat=2, errindex=1),
    'seed_long_lengths': response([
        (IFX + '6.%d' % i, unsigned(2 ** 40 + i, 0x46)) for i in range(1, 9)
    ], long_form=True),
    'seed_end_of_mib': response([(IF + '10.999', tlv(0x82, b''))]),
}

# RFC 3414 discovery: a Report with usmStatsUnknownEngineIDs and the agent's engine ID
def report(engine, boots, etime, msgid=0x2a):
    glob = integer(msgid) + integer(65507) + tlv(0x04, b'\x00') + integer(3)
    usm = tlv(0x30, tlv(0x04, engine) + integer(boots) + integer(etime) + tlv(0x04, b'') +
              tlv(0x04, b'') + tlv(0x04, b''))
    vb = tlv(0x30, oid('1.3.6.1.6.3.15.1.1.4.0') + unsigned(1, 0x41))
    pdu = integer(msgid) + integer(0) + integer(0) + tlv(0x30, vb)
    scoped = tlv(0x30, tlv(0x04, engine) + tlv(0x04, b'') + tlv(0xa8, pdu))
    return tlv(0x30, integer(3) + tlv(0x30, glob) + tlv(0x04, usm) + scoped)


usm = {
    # net-snmp's default engine ID: enterprise 8072, format 3 (MAC-like), 12 bytes
    'seed_netsnmp': report(bytes.fromhex('80001f88807c0a3f4e2f5b3a6300000000'), 3, 12345),
    'seed_cisco': report(bytes.fromhex('800000090300001c0e4f2a01'), 17, 2147483647),
    'seed_short_engine': report(bytes.fromhex('8000000001'), 0, 0),
    'seed_long_engine': report(bytes(range(1, 33)), 1, 1),
}

# request bodies: one byte for fuzz_json's route (its fuzz_routes[] order), then the body
bodies = [
    (0, 'device_add', '{"name":"Máy in tầng 2","host":"10.0.0.21","kind":"printer","snmp_port":161,'
        '"snmp_version":"2c","snmp_community":"public","cost_vnd":12500000,"purchase_date":"2019-05-14",'
        '"asset_tag":"UB-0042","enabled":true}'),
    (0, 'device_add_v3', '{"name":"edge","host":"edge.lan","kind":"router","snmp_version":"3",'
        '"v3_user":"ww","v3_level":"authPriv","v3_auth_proto":"SHA","v3_auth_key":"authpass123",'
        '"v3_priv_proto":"AES","v3_priv_key":"privpass123","parent_id":null}'),
    (1, 'device_change', '{"name":"core-sw-2","parent_id":null,"snmp_community":"","enabled":false}'),
    (1, 'device_change_bad', '{"cost_vnd":-5,"snmp_port":"x"}'),
    (2, 'user_add', '{"login":"lan","full_name":"Trần Lan","role":"hr","password":"mật khẩu dài lắm"}'),
    (3, 'user_change', '{"role":"viewer","enabled":true,"full_name":"Hoa"}'),
    (4, 'rule_add', '{"name":"CPU high","kind":"cpu_high","threshold":90.5,"for_s":300,"repeat_s":3600,'
        '"notify_recovery":true,"enabled":true,"device_id":null,"device_kind":"server","channel_ids":[1]}'),
    (5, 'rule_change', '{"threshold":null,"channel_ids":[],"enabled":false}'),
    (6, 'channel_add', '{"name":"hook","kind":"webhook","target":"https://hooks.example.org/ww",'
        '"secret":"t0ken","enabled":true}'),
    (7, 'channel_change', '{"target":"a@example.org,b@example.org","secret":null}'),
    (8, 'maintenance_add', '{"name":"Power work","device_id":null,"starts_at":1767225600,'
        '"ends_at":1767232800,"note":"EVN"}'),
    (9, 'maintenance_change', '{"ends_at":"2026-01-01T04:00:00Z","note":null}'),
    (10, 'holiday_set', '{"name":"Quốc khánh"}'),
    (11, 'lang', '{"lang":"en"}'),
    (0, 'not_object', '[1,2,3]'),
    (4, 'duplicate_key', '{"name":"a","name":"b"}'),
]
json_seeds = {'seed_' + name: bytes([route]) + body.encode() for route, name, body in bodies}

for folder, seeds in (('ber', ber), ('usm', usm), ('json', json_seeds)):
    d = os.path.join(here, folder, 'corpus')
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)
