#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# smtp_sink.py MAILDIR PORTFILE - a tiny SMTP server on plain sockets for the settings tests:
# listens on 127.0.0.1 port 0 (the port goes to PORTFILE), speaks EHLO, AUTH PLAIN/LOGIN,
# MAIL, RCPT, DATA, RSET, NOOP, QUIT, one connection at a time, and writes each message as
# MAILDIR/<n>.json {from, to, auth:[user,password], data}. A recipient whose local part
# starts with "refuse" is answered "550 5.1.1 ... Recipient address rejected"; a message is
# answered "250 2.0.0 Ok: queued as WWSINK<n>", the answer the tests look for.
import base64
import json
import os
import socket
import sys

maildir, portfile = sys.argv[1], sys.argv[2]
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', 0))
srv.listen(8)
with open(portfile + '.tmp', 'w') as f:
    f.write('%d\n' % srv.getsockname()[1])
os.rename(portfile + '.tmp', portfile)
count = 0


def serve(conn):
    global count
    f = conn.makefile('rb')

    def say(line):
        conn.sendall(line.encode() + b'\r\n')

    def readline():
        line = f.readline(8192)
        if not line:
            raise EOFError
        return line.rstrip(b'\r\n').decode('utf-8', 'replace')

    say('220 sink.example ESMTP wwsink')
    mail = {'from': None, 'to': [], 'auth': None}
    while True:
        line = readline()
        verb = line.split(' ', 1)[0].upper()
        arg = line[len(verb):].strip()
        if verb in ('EHLO', 'HELO'):
            conn.sendall(b'250-sink.example\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n')
        elif verb == 'AUTH':
            parts = arg.split()
            if parts[0].upper() == 'PLAIN':
                if len(parts) > 1:
                    blob = parts[1]
                else:
                    say('334 ')
                    blob = readline()
                _, user, pw = base64.b64decode(blob).decode().split('\0')
            else:
                say('334 VXNlcm5hbWU6')
                user = base64.b64decode(readline()).decode()
                say('334 UGFzc3dvcmQ6')
                pw = base64.b64decode(readline()).decode()
            mail['auth'] = [user, pw]
            say('235 2.7.0 Authentication successful')
        elif verb == 'MAIL':
            mail['from'] = arg.split(':', 1)[1].strip().strip('<>').split('>')[0]
            say('250 2.1.0 Ok')
        elif verb == 'RCPT':
            rcpt = arg.split(':', 1)[1].strip().strip('<>').split('>')[0]
            if rcpt.startswith('refuse'):
                say('550 5.1.1 <%s>: Recipient address rejected: User unknown' % rcpt)
            else:
                mail['to'].append(rcpt)
                say('250 2.1.5 Ok')
        elif verb == 'DATA':
            say('354 End data with <CR><LF>.<CR><LF>')
            lines = []
            while True:
                line = readline()
                if line == '.':
                    break
                lines.append(line[1:] if line.startswith('..') else line)
            count += 1
            mail['data'] = '\n'.join(lines)
            with open(os.path.join(maildir, '%d.json' % count), 'w') as out:
                json.dump(mail, out)
            say('250 2.0.0 Ok: queued as WWSINK%d' % count)
            mail = {'from': None, 'to': [], 'auth': mail['auth']}
        elif verb == 'RSET':
            mail = {'from': None, 'to': [], 'auth': mail['auth']}
            say('250 2.0.0 Ok')
        elif verb == 'NOOP':
            say('250 2.0.0 Ok')
        elif verb == 'QUIT':
            say('221 2.0.0 Bye')
            return
        else:
            say('502 5.5.2 Error: command not recognized')


while True:
    conn, _ = srv.accept()
    conn.settimeout(10)
    try:
        serve(conn)
    except (EOFError, OSError, ValueError, IndexError):
        pass
    finally:
        conn.close()
