#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# check_www.py WWW - static checks of the UI files that need no browser; prints one
# "ok - ..." / "not ok - ...: why" line per check:
#   - i18n/vi.json and i18n/en.json have the same keys, non-empty strings, the same {placeholders}
#   - every key the HTML and JS use exists, and every key is used (directly or by a known prefix)
#   - the UI's device kinds are inventory's (inv_device_kinds[]), each with its words
#   - no UI text written into the HTML or the JS (it all comes from the i18n files)
#   - nothing a CSP "default-src 'self'; script-src 'self'; style-src 'self'" would block:
#     no inline script or style, no on*= handlers, no style="", no eval / new Function
#   - no HTML insertion of text (innerHTML and friends), nothing loaded from another host
import html.parser
import json
import os
import re
import sys

www = sys.argv[1]
results = []


def check(name, problems):
    problems = [p for p in problems if p]
    if problems:
        shown = '; '.join(problems[:8]) + (' (+%d more)' % (len(problems) - 8) if len(problems) > 8 else '')
        print('not ok - %s: %s' % (name, shown))
    else:
        print('ok - %s' % name)


def read(path):
    with open(os.path.join(www, path), encoding='utf-8') as f:
        return f.read()


js_files = sorted(f for f in os.listdir(www) if f.endswith('.js'))
html_files = sorted(f for f in os.listdir(www) if f.endswith('.html'))
css_files = sorted(f for f in os.listdir(www) if f.endswith('.css'))
js = {f: read(f) for f in js_files}
htm = {f: read(f) for f in html_files}
css = {f: read(f) for f in css_files}

# ---- i18n files ----------------------------------------------------------------------------
langs = {}
problems = []
for lang in ('vi', 'en'):
    try:
        with open(os.path.join(www, 'i18n', lang + '.json'), encoding='utf-8') as f:
            langs[lang] = json.load(f)
    except (OSError, ValueError) as e:
        problems.append('%s.json: %s' % (lang, e))
check('i18n files are valid JSON', problems)
vi, en = langs.get('vi', {}), langs.get('en', {})
check('i18n: vi.json and en.json have identical keys',
      ['only in vi.json: ' + k for k in sorted(set(vi) - set(en))] +
      ['only in en.json: ' + k for k in sorted(set(en) - set(vi))])
check('i18n: every value is a non-empty string',
      ['%s.json %s' % (l, k) for l, d in langs.items() for k, v in d.items()
       if not isinstance(v, str) or not v.strip()])
ph = re.compile(r'\{(\w+)\}')
check('i18n: the same {placeholders} in both languages',
      [k for k in set(vi) & set(en) if set(ph.findall(vi[k])) != set(ph.findall(en[k]))])

# ---- keys used -----------------------------------------------------------------------------
used = set()
for text in htm.values():
    used.update(re.findall(r'data-i18n(?:-placeholder|-aria)?="([^"]+)"', text))
for text in js.values():
    used.update(re.findall(r"\bt\(\s*'([a-z0-9_.]+)'", text))
    used.update(re.findall(r"\bbutton\(\s*'([a-z0-9_.]+)'", text))
    used.update(re.findall(r"patch\([^;]*'([a-z]+\.[a-z_]+)'\)", text))
# keys built at run time from a known list
allv = '\n'.join(js.values())
lists = {
    'kind.': [r'\bKINDS = \[([^\]]*)\]'],
    'role.': [r'ROLES = \[([^\]]*)\]'],
    'state.': [r'\bSTATES = \[([^\]]*)\]'],
    'range.': [r'RANGES = \[([^\]]*)\]'],
    'period.': [r'PERIODS = \[([^\]]*)\]'],
    'supply.': [r'SUPPLY_STATES = \[([^\]]*)\]'],
    'level.': [r'\bLEVELS = \[([^\]]*)\]'],
    'lockind.': [r'\bLOCATION_KINDS = \[([^\]]*)\]'],
    'gap.': [r'GAP_STATES = \[([^\]]*)\]'],
    'result.': [r'RESULTS = \[([^\]]*)\]'],
}
for prefix, rxs in lists.items():
    for rx in rxs:
        for m in re.finditer(rx, allv):
            used.update(prefix + x for x in re.findall(r"'([a-z0-9_]+)'", m.group(1)))
# the kinds of alert rule: inventory's table inv_alert_kinds[], which the UI reads from
# GET /api/v1/alert-kinds: {"name", "subject", "value", needs_threshold, unit, direction, ...}
with open(os.path.join(www, '..', '..', 'inventory', 'alert.c'), encoding='utf-8') as f:
    m = re.search(r'inv_alert_kinds\[\]\s*=\s*\{(.*?)\};', f.read(), re.S)
alert_kinds = re.findall(r'\{"([a-z_]+)",\s*"([a-z_]+)",\s*"([a-z_]+)",\s*(?:true|false),\s*'
                         r'(NULL|"[a-z_]+"),\s*(NULL|"[a-z_]+")', m.group(1) if m else '')
for name, _subject, value, unit, direction in alert_kinds:
    used.update(['alertkind.' + name, 'alerthint.' + name, 'alertval.' + value])
    if unit != 'NULL':
        used.add('alcond.%s_%s' % ('min' if unit == '"minutes"' else 'pct',
                                   'under' if direction == '"below"' else 'over'))
pages = re.findall(r"WW\.page\('([a-z]+)'", allv)
used.update('nav.' + p for p in pages)
used.update('state.' + s for s in ('up', 'down', 'unreachable', 'unknown', 'off'))
# a key written as a whole string literal (t(cond ? 'a.b' : 'a.c')) counts as used
lit_keys = set()
for text in js.values():
    lit_keys.update(re.findall(r"'([a-z0-9_]+\.[a-z0-9_.]+)'", text))
# prefixes whose keys name server values (error codes, audit actions, event types, outage
# types, alert states, delivery statuses, error codes and kinds, channel kinds), graph names
# or the causes of a silent device (inventory's inv_down_cause(): title, seen, checklist lines)
dynamic = ('error.', 'reason.', 'field.', 'csv.', 'eventmsg.', 'auditaction.', 'event.', 'source.', 'object.', 'outage.', 'alertstate.',
           'notestatus.', 'noteerr.', 'notekind.', 'chkind.', 'graph.', 'alcond.', 'mail.', 'alert.', 'cause.',
           'handover.', 'score.term.', 'plan.')
used = {k for k in used if not k.endswith('.')}  # t('kind.' + k): a prefix, see below
check('i18n: every key used in the HTML and JS exists',
      sorted(k for k in used if k not in vi))
check('i18n: every key is used',
      sorted(k for k in vi if k not in used and k not in lit_keys and not k.startswith(dynamic)))
# the device kinds: inventory's inv_device_kinds[] (device.c) is the one list; the UI's
# WW.KINDS offers the same kinds in the same order, each with its words
with open(os.path.join(www, '..', '..', 'inventory', 'device.c'), encoding='utf-8') as f:
    m = re.search(r'inv_device_kinds\[\]\s*=\s*\{(.*?)\};', f.read(), re.S)
device_kinds = re.findall(r'"([a-z_]+)"', m.group(1) if m else '')
m = re.search(r'\bKINDS = \[([^\]]*)\]', allv)
ui_kinds = re.findall(r"'([a-z0-9_]+)'", m.group(1) if m else '')
check('the UI offers the device kinds inventory accepts (inv_device_kinds[])',
      ['inventory: %s, UI: %s' % (device_kinds, ui_kinds)]
      if not device_kinds or device_kinds != ui_kinds else [])
# unit levels and location kinds: inventory's inv_unit_levels[] and inv_location_kinds[]
# (unit.c) are the lists; the units page offers the same, in the same order
with open(os.path.join(www, '..', '..', 'inventory', 'unit.c'), encoding='utf-8') as f:
    unit_c = f.read()
problems = []
for c_name, js_name in (('inv_unit_levels', 'LEVELS'), ('inv_location_kinds', 'LOCATION_KINDS')):
    m = re.search(r'%s\[\]\s*=\s*\{(.*?)\};' % c_name, unit_c, re.S)
    inv = re.findall(r'"([a-z_]+)"', m.group(1) if m else '')
    m = re.search(r'\b%s = \[([^\]]*)\]' % js_name, allv)
    ui = re.findall(r"'([a-z0-9_]+)'", m.group(1) if m else '')
    if not inv or inv != ui:
        problems.append('%s: inventory %s, UI %s' % (c_name, inv, ui))
check('the units page offers the levels and location kinds inventory accepts', problems)
check('i18n: the pages, kinds and roles all have names',
      [k for k in ['kind.' + x for x in device_kinds] +
       ['role.' + x for x in ('admin', 'it', 'manager', 'hr', 'viewer')] if k not in vi])


# ---- HTML: no UI text, no inline script/style/handlers, nothing from elsewhere -------------
class Scan(html.parser.HTMLParser):
    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.stack = []
        self.text = []
        self.csp = []
        self.remote = []

    def handle_starttag(self, tag, attrs):
        if tag not in ('meta', 'link', 'input', 'br', 'img', 'hr'):
            self.stack.append(tag)
        a = dict(attrs)
        for k, v in attrs:
            if k == 'style' or k.startswith('on'):
                self.csp.append('%s: <%s %s=...>' % (self.name, tag, k))
            if v and re.match(r'\s*javascript:', v, re.I):
                self.csp.append('%s: javascript: URL in <%s>' % (self.name, tag))
            if k in ('src', 'href', 'action') and v and re.match(r'\s*(\w+:)?//', v):
                self.remote.append('%s: <%s %s="%s">' % (self.name, tag, k, v))
        if tag == 'script' and not a.get('src'):
            self.csp.append('%s: inline <script>' % self.name)
        if tag == 'style':
            self.csp.append('%s: <style> element' % self.name)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        inside = self.stack[-1] if self.stack else ''
        if inside in ('option', 'script', 'style'):
            return  # option values are protocol names (SNMP versions, SHA, AES)
        if re.search(r'[^\W\d_]{2,}', data):
            self.text.append('%s: <%s> "%s"' % (self.name, inside, data.strip()[:40]))


text_p, csp_p, remote_p = [], [], []
for name, text in htm.items():
    s = Scan(name)
    s.feed(text)
    text_p += s.text
    csp_p += s.csp
    remote_p += s.remote
check('HTML holds no UI text (all from i18n)', text_p)
check('HTML: no inline script, style or event handler attributes (CSP)', csp_p)

# ---- JS ------------------------------------------------------------------------------------
bad_js = [
    (r'\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment',
     'inserts HTML'),
    (r'\beval\s*\(|new\s+Function\s*\(|set(?:Timeout|Interval)\s*\(\s*[\'"`]', 'evaluates a string'),
    (r'setAttribute\(\s*[\'"](?:style|on\w+)[\'"]', 'sets a style or handler attribute'),
    (r'\.on\w+\s*=\s*[\'"]', 'assigns a handler string'),
]
problems = []
for name, text in js.items():
    for rx, why in bad_js:
        for m in re.finditer(rx, text):
            line = text.count('\n', 0, m.start()) + 1
            problems.append('%s:%d %s' % (name, line, why))
check('JS: no innerHTML/outerHTML/document.write, no eval (text goes in as text)', problems)

# string literals that look like UI text: Vietnamese letters, or an English sentence
lit = re.compile(r"'((?:[^'\\\n]|\\.)*)'|\"((?:[^\"\\\n]|\\.)*)\"|`((?:[^`\\]|\\.)*)`")
problems = []
for name, text in js.items():
    for lineno, line in enumerate(text.split('\n'), 1):
        code = re.sub(r'^\s*//.*$|\s//\s.*$', '', line)
        if re.search(r'\.replace\(/', code):  # the diacritics folding regexes
            continue
        for m in lit.finditer(code):
            s = next(g for g in m.groups() if g is not None)
            if re.search(r'[À-ỹ]', s) or re.search(r'[A-Za-z]{2,} [a-z]{2,} [a-z]{2,}', s) \
                    or re.match(r'[A-Z][a-z]+ [a-z]+', s):
                problems.append('%s:%d %s' % (name, lineno, s[:40]))
check('JS holds no UI text literals (all from i18n)', problems)

# ---- nothing from another host -------------------------------------------------------------
for name, text in list(js.items()) + list(css.items()):
    for m in re.finditer(r'(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}', text, re.I):
        remote_p.append('%s: %s' % (name, m.group(0)))
    for m in re.finditer(r'@import|url\(\s*[\'"]?(?!data:)[^)]*\)', text):
        if name.endswith('.css'):
            remote_p.append('%s: %s' % (name, m.group(0)))
check('no CDN: nothing loaded from another host, no web fonts', remote_p)

# ---- the server's words: every code it sends or renders has words in both files ------------
# Modules return codes, the dashboard and the alert texts turn them into words: a code the C
# sources can send without an i18n key would reach a person as a bare code (or as English).
src = os.path.normpath(os.path.join(www, '..', '..'))
c_text = {}
for mod in ('common', 'inventory', 'collector', 'dashboard', 'storage', 'probes'):
    d = os.path.join(src, mod)
    if os.path.isdir(d):
        for f in sorted(os.listdir(d)):
            if f.endswith('.c'):
                with open(os.path.join(d, f), encoding='utf-8') as fh:
                    c_text['%s/%s' % (mod, f)] = fh.read()
need = {}  # key -> where it comes from


def want(key, where):
    need.setdefault(key, where)


def table(text, name):
    m = re.search(r'\b%s\[\]\s*=\s*\{(.*?)\};' % re.escape(name), text, re.S)
    return re.findall(r'"([a-z0-9_]+)"', m.group(1)) if m else []


for name, text in c_text.items():
    for m in re.finditer(r'dash_reply_error\([^;]*?,\s*"([a-z_0-9]+)"\s*,', text, re.S):
        want('error.' + m.group(1), name)
    for m in re.finditer(r'\*out_why\s*=\s*"([a-z_0-9]+)"', text):
        want('error.' + m.group(1), name)
    for m in re.finditer(r'static const char \*const head\[\]\s*=\s*\{(.*?)\};', text, re.S):
        for col in re.findall(r'"([a-z_0-9]+)"', m.group(1)):
            want('csv.' + col, name)
    for m in re.finditer(r'(?:inv_refuse\(-E\w+|dash_refusal\(&?[\w>-]+),\s*"([a-z_0-9]+)",\s*"([a-z_0-9]+)"', text):
        want('field.' + m.group(1), name)
        want('reason.' + m.group(2), name)
    for m in re.finditer(r'event_add\(db,[^;]*?"([a-z_]+)",\s*(?:p\w*|NULL),', text, re.S):
        want('eventmsg.' + m.group(1), name)
    for m in re.finditer(r'enter_outage\(db,\s*\w+,\s*"[a-z]+",\s*[^,]+,\s*"([a-z_]+)"', text):
        want('eventmsg.' + m.group(1), name)
    for m in re.finditer(r'return [^;]*: "([a-z_]+)"; */\* ?event reason', text):
        want('eventmsg.' + m.group(1), name)
    # the alert texts' words, named as whole keys in the C code (mail.*, alertval.*, ...)
    for m in re.finditer(r'"((?:mail|alertval|alert|handover)\.[a-z_]+(?:\.[a-z_]+)*)"', text):
        if not any(k.startswith(m.group(1) + '.') for k in vi):  # a prefix ("mail.note")
            want(m.group(1), name)
for m in re.finditer(r'announce\(ev, "([a-z_]+)"', c_text.get('collector/alert.c', '')):
    want('mail.note.' + m.group(1), 'collector/alert.c announce()')
# the delivery error codes (collector/notify.c NOTIFY_ERR_*): the delivery log, a channel's
# problem on the Alerts page and the Settings page's test name them as noteerr.<code>
for code in re.findall(r'#define NOTIFY_ERR_\w+ "([a-z_]+)"', c_text.get('collector/notify.c', '')):
    want('noteerr.' + code, 'collector/notify.c NOTIFY_ERR_*')
for k in alert_kinds:
    want('alertkind.' + k[0], 'inventory/alert.c inv_alert_kinds[]')
    want('alerthint.' + k[0], 'inventory/alert.c inv_alert_kinds[]')
    want('alertval.' + k[2], 'inventory/alert.c inv_alert_kinds[]')
inv_change = c_text.get('inventory/change.c', '')
for r in table(inv_change, 'inv_refusal_reasons'):
    want('reason.' + r, 'inventory/change.c inv_refusal_reasons[]')
for f in table(inv_change, 'inv_fields'):
    want('field.' + f, 'inventory/change.c inv_fields[]')
for g in table(c_text.get('dashboard/api_graph.c', ''), 'graph_names'):
    for part in ('title', 'vlabel', 'legend1'):
        want('graph.%s.%s' % (g, part), 'dashboard/api_graph.c graph_names[]')
# printer supply states (collector.h enum coll_supply_state), stored in the printer_supplies
# fact; the device page names each from its SUPPLY_STATES list
supply_states = table(c_text.get('collector/profile.c', ''), 'supply_states')
for s in supply_states:
    want('supply.' + s, 'collector/profile.c supply_states[]')
m = re.search(r'SUPPLY_STATES = \[([^\]]*)\]', allv)
check('the device page knows every printer supply state the collector stores',
      sorted(set(supply_states) ^ set(re.findall(r"'([a-z_]+)'", m.group(1) if m else ''))))
for code in re.findall(r'\[COLL_ERR_\w+\]\s*=\s*"([a-z_]+)"', c_text.get('collector/snmp_codes.c', '') +
                       ''.join(t for n, t in c_text.items() if n.startswith('collector/'))):
    if code != 'none':
        want('eventmsg.' + code, 'collector poll error codes')
check('i18n: every code the server sends or renders has words in vi.json and en.json',
      ['%s (%s): missing in %s' % (k, w, '/'.join(l for l in ('vi', 'en') if k not in langs.get(l, {})))
       for k, w in sorted(need.items()) if k not in vi or k not in en])
check('i18n: the server-side scan found the codes it looks for',
      [] if len([k for k in need if k.startswith('reason.')]) > 10 and
      any(k.startswith('csv.') for k in need) and any(k.startswith('eventmsg.') for k in need)
      and len(alert_kinds) >= 8 and 'mail.note.firing' in need and 'mail.test_body' in need
      and len(supply_states) >= 4
      else ['the scan of the C sources found too few codes: the patterns are out of date'])

# every script parses (a merge once left device.js one brace short: every page that needed it
# failed in the browser, nothing before the browser noticed)
import shutil
import subprocess
node = shutil.which('node')
if node:
    check('every www script parses (node --check)',
          ['%s: %s' % (f, (r.stderr.strip().splitlines() or ['?'])[-1])
           for f in js_files
           for r in [subprocess.run([node, '--check', os.path.join(www, f)], capture_output=True,
                                    text=True)]
           if r.returncode != 0])
else:
    print('skip - every www script parses: no node here')
