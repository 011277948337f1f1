#!/usr/bin/env python3
"""Deliver pg_actions notifications by e-mail (SMTP) and by HTTP webhook (HMAC-signed).

The delivery state lives in the database (actions.notification_delivery). For each item the worker
opens a transaction, takes the oldest due delivery with actions.claim_delivery(channel) (FOR UPDATE
SKIP LOCKED: other workers skip it), sends it, marks it delivered (or failed, retried with
exponential backoff) and commits. A worker killed before that commit leaves the delivery pending
and unlocked: it is sent by the next worker. The one window where a notification is sent twice is
a death after the SMTP server or the webhook accepted it and before the commit; the second send
carries the same idempotency key (Message-ID and X-PG-Actions-Delivery), so a receiver can drop it.

See contrib/notifier/README.md. Needs psycopg 3 (Debian: python3-psycopg).
"""
import argparse
import email.message
import email.utils
import hashlib
import hmac
import json
import os
import signal
import smtplib
import sys
import time
import urllib.error
import urllib.request

import psycopg
from psycopg.rows import dict_row

SUBJECTS = {
    'assigned': 'Assigned to you: {title}',
    'reassigned': 'Reassigned to you: {title}',
    'due_soon': 'Due soon: {title}',
    'overdue': 'Overdue: {title}',
    'invited': 'You are invited to {workspace}: {title}',
    'offered': 'Offered to your pool: {title}',
    'delegated': 'Delegated to you: {title}',
    'resolved': 'Resolved back to you: {title}',
    'substitute': 'For a member you stand in for: {title}',
    'escalated': 'Escalated to you: {title}',
}

stopping = False


def log(*parts):
    print(time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()), *parts, flush=True)


class Failed(Exception):
    """A send that did not go through; the delivery is retried later."""


def send_email(args, item):
    msg = email.message.EmailMessage()
    title = item['action_title'] or f"action {item['action_id']}"
    msg['Subject'] = SUBJECTS.get(item['kind'], '{title}').format(title=title, workspace=item['workspace_name'])
    msg['From'] = args.smtp_from
    msg['To'] = email.utils.formataddr((item['display_name'], item['email']))
    msg['Date'] = email.utils.formatdate(usegmt=True)
    # The idempotency key: the same for every attempt of this notification on this channel.
    msg['Message-ID'] = f"<{item['idempotency_key']}@{args.message_id_domain}>"
    msg['X-PG-Actions-Delivery'] = item['idempotency_key']
    body = [f"{item['display_name']},", '',
            f"{msg['Subject']} (workspace {item['workspace_name']}).", '', item['link'], '']
    if item['action_ids']:
        body[3:3] = ['', 'Actions: ' + ', '.join(str(a) for a in item['action_ids'])]
    msg.set_content('\n'.join(body))
    try:
        with smtplib.SMTP(args.smtp_host, args.smtp_port, timeout=args.timeout) as smtp:
            if args.smtp_starttls:
                smtp.starttls()
            if os.environ.get('PG_ACTIONS_SMTP_USER'):
                smtp.login(os.environ['PG_ACTIONS_SMTP_USER'], os.environ.get('PG_ACTIONS_SMTP_PASSWORD', ''))
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as e:
        raise Failed(f'SMTP: {e}') from e


def sign(secret, timestamp, body):
    """The webhook signature: HMAC-SHA256 over "<timestamp>.<body>", hex, as sha256=<hex>."""
    return 'sha256=' + hmac.new(secret, timestamp.encode() + b'.' + body, hashlib.sha256).hexdigest()


def send_webhook(args, item):
    payload = {k: item[k] for k in ('workspace_id', 'notification_id', 'kind', 'person_id', 'action_id',
                                    'action_title', 'action_ids', 'link', 'workspace_name')}
    payload['created_at'] = item['created_at'].isoformat()
    payload['id'] = item['idempotency_key']
    body = json.dumps(payload, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(args.webhook_url, data=body, method='POST', headers={
        'Content-Type': 'application/json',
        'User-Agent': 'pg_actions-notifier',
        'X-PG-Actions-Delivery': item['idempotency_key'],
        'X-PG-Actions-Timestamp': timestamp,
        'X-PG-Actions-Signature': sign(args.webhook_secret, timestamp, body),
    })
    try:
        with urllib.request.urlopen(request, timeout=args.timeout) as response:
            response.read()
    except urllib.error.HTTPError as e:
        raise Failed(f'HTTP {e.code} from the webhook') from e
    except (OSError, ValueError) as e:
        raise Failed(f'webhook: {e}') from e


def deliver_one(conn, args, channel):
    """Claims, sends and marks one delivery in one transaction; returns False when none is due."""
    with conn.transaction():
        cur = conn.cursor(row_factory=dict_row)
        item = cur.execute('SELECT * FROM actions.claim_delivery(%s)', (channel,)).fetchone()
        if item is None:
            return False
        key = (item['workspace_id'], item['notification_id'], channel)
        try:
            (send_email if channel == 'email' else send_webhook)(args, item)
        except Exception as e:  # noqa: BLE001 - any failure of one item is recorded, not fatal
            if not isinstance(e, Failed):
                e = Failed(f'{type(e).__name__}: {e}')
            state = cur.execute('SELECT actions.mark_delivery_failed(%s, %s, %s, %s, make_interval(secs => %s), %s) AS s',
                                (*key, str(e), args.retry_base, args.max_attempts)).fetchone()['s']
            log('failed', item['idempotency_key'], f'attempt {item["attempts"] + 1}', state, str(e))
            return True
        cur.execute('SELECT actions.mark_delivered(%s, %s, %s)', key)
    # Committed: from here on a crash cannot send it again.
    log('delivered', item['idempotency_key'])
    if args.pause_after_each:
        time.sleep(args.pause_after_each)
    return True


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--dsn', default=os.environ.get('PG_ACTIONS_NOTIFIER_DSN', ''),
                   help='libpq connection string (default: the PG* environment)')
    p.add_argument('--smtp-host', help='SMTP server: turns the email channel on')
    p.add_argument('--smtp-port', type=int, default=25)
    p.add_argument('--smtp-from', default='pg_actions <noreply@localhost>')
    p.add_argument('--smtp-starttls', action='store_true')
    p.add_argument('--message-id-domain', default='pg-actions.invalid')
    p.add_argument('--webhook-url', help='URL to POST to: turns the webhook channel on')
    p.add_argument('--webhook-secret-file', help='file holding the HMAC key (or env PG_ACTIONS_WEBHOOK_SECRET)')
    p.add_argument('--timeout', type=float, default=30, help='seconds for one SMTP or HTTP exchange')
    p.add_argument('--retry-base', type=float, default=10, help='seconds before the first retry; doubled each time')
    p.add_argument('--max-attempts', type=int, default=10, help='failed attempts before a delivery is given up')
    p.add_argument('--poll', type=float, default=5, help='seconds to wait when nothing is due')
    p.add_argument('--once', action='store_true', help='exit when nothing is due instead of waiting')
    p.add_argument('--since', help='also deliver the notifications created since this time when opening a channel')
    p.add_argument('--pause-after-each', type=float, default=0, help=argparse.SUPPRESS)  # tests
    args = p.parse_args()

    channels = []
    if args.smtp_host:
        channels.append('email')
    if args.webhook_url:
        secret = (open(args.webhook_secret_file, 'rb').read().strip() if args.webhook_secret_file
                  else os.environ.get('PG_ACTIONS_WEBHOOK_SECRET', '').encode())
        if not secret:
            p.error('the webhook needs a secret: --webhook-secret-file or PG_ACTIONS_WEBHOOK_SECRET')
        args.webhook_secret = secret
        channels.append('webhook')
    if not channels:
        p.error('nothing to deliver on: give --smtp-host and/or --webhook-url')

    def stop(signum, frame):
        global stopping
        stopping = True
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    with psycopg.connect(args.dsn, autocommit=True, application_name='pg_actions_notifier') as conn:
        for channel in channels:
            opened = conn.execute('SELECT actions.open_delivery_channel(%s, %s)', (channel, args.since)).fetchone()[0]
            log('channel', channel, 'open since', opened.isoformat())
        while not stopping:
            busy = False
            for channel in channels:
                if stopping:
                    break
                busy = deliver_one(conn, args, channel) or busy
            if not busy:
                if args.once:
                    break
                time.sleep(args.poll)
    log('stopped')
    return 0


if __name__ == '__main__':
    sys.exit(main())
