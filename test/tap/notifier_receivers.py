#!/usr/bin/env python3
"""Receivers for test/tap/011_notifier.pl, on 127.0.0.1 only: an SMTP server (aiosmtpd) and an
HTTP webhook receiver, each appending one JSON line per message it accepted to LOG (channel, the
X-PG-Actions-Delivery key, the Message-ID, whether the HMAC signature was right). The webhook
answers 500 to its first FAIL_FIRST requests (a retry with backoff must follow), 200 to the rest.
Writes "<smtp port> <http port>" to READY once both listen; runs until killed.

usage: notifier_receivers.py LOG READY SECRET_FILE FAIL_FIRST
"""
import email
import hashlib
import hmac
import http.server
import json
import os
import socket
import sys
import threading
import time

from aiosmtpd.controller import Controller

log_path, ready_path, secret_file, fail_first = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
secret = open(secret_file, 'rb').read().strip()
lock = threading.Lock()
webhook_requests = 0


def record(entry):
    with lock, open(log_path, 'a') as f:
        f.write(json.dumps(entry) + '\n')


class SmtpHandler:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content)
        record({'channel': 'email', 'key': msg['X-PG-Actions-Delivery'], 'message_id': msg['Message-ID'],
                'to': envelope.rcpt_tos, 'subject': msg['Subject']})
        return '250 Message accepted for delivery'


class Webhook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global webhook_requests
        body = self.rfile.read(int(self.headers['Content-Length']))
        with lock:
            webhook_requests += 1
            n = webhook_requests
        if n <= fail_first:
            self.send_response(500)
            self.end_headers()
            return
        timestamp = self.headers['X-PG-Actions-Timestamp']
        expected = 'sha256=' + hmac.new(secret, timestamp.encode() + b'.' + body, hashlib.sha256).hexdigest()
        signed = hmac.compare_digest(expected, self.headers['X-PG-Actions-Signature'] or '')
        payload = json.loads(body)
        record({'channel': 'webhook', 'key': self.headers['X-PG-Actions-Delivery'], 'id': payload['id'],
                'signed': signed})
        self.send_response(204 if signed else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


# aiosmtpd's Controller checks it is up by connecting to its port, so it needs the number first.
with socket.socket() as s:
    s.bind(('127.0.0.1', 0))
    smtp_port = s.getsockname()[1]
controller = Controller(SmtpHandler(), hostname='127.0.0.1', port=smtp_port)
controller.start()
httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Webhook)
threading.Thread(target=httpd.serve_forever, daemon=True).start()
with open(ready_path + '.tmp', 'w') as f:
    f.write(f'{smtp_port} {httpd.server_address[1]}\n')
os.rename(ready_path + '.tmp', ready_path)
while True:
    time.sleep(3600)
