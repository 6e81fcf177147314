#!/usr/bin/env python3
"""The seed's Python handler doing a valid keyed POST /trigger, timed in-process.

This is a reconstruction, written for this project, not a copy: it does step for step what
`src/lambda/app.py` of the seed project (github.com/junksamiad/urmston-town-whatsapp-bot,
revision 94c0da8d9d7f, phase 1a) does for a valid keyed POST /trigger. That is the last
revision whose `lambda_handler` routes /trigger at all; at cd214e398224 it only echoes its
environment, and `handle_trigger` there also sends a Twilio template message.

The steps, in the seed's order:
  1. a uuid4 request id, as a string;
  2. INFO: the whole event, json.dumps'ed into an f-string (built whether or not a handler
     writes it, as f-strings are); each log call passes extra={'request_id': ...};
  3. the SQS-batch test on 'Records', then the path: requestContext.http.path, rawPath, or
     'path'; INFO: the path;
  4. '/trigger' in path: the key from headers 'x-api-key' or 'X-Api-Key', compared with ==
     against API_KEY, read from the environment once at import (a mismatch is 403);
  5. json.loads of event['body'] (default '{}');
  6. the fields as the seed reads them: nine .get() calls with defaults, the two full names
     joined, stripped, defaulted ('Unknown Player', 'Unknown Parent'); no field is validated;
  7. INFO: the body json.dumps'ed again; INFO: one line naming player, parent, phone, team;
  8. a context dict of the fields with datetime.now().isoformat() and the request id (built
     and never used, as in the seed);
  9. the answer: {'statusCode': 200, 'body': json.dumps(six members, 'status': 'pending')}.
The log texts are worded here, with the same values interpolated the same way.

Left out: boto3 (the module-level `boto3.client('sqs')`, made once per cold start; its
`sqs_client.send_message` runs only on /webhook, never on /trigger), Twilio (phase 1a sends
nothing on /trigger; later revisions call `twilio_client.messages.create` from
`send_whatsapp_template` and read credentials with `ssm_client.get_parameter` at import), and
the Lambda runtime's own work around the handler (fetching the invocation from the Runtime
API over HTTP and posting the answer back). `--json-edges` adds the two JSON steps the runtime
does do: json.loads of the event text before the handler and json.dumps of its answer after.

Logging: the root logger at INFO, as the seed sets it. `--log null` (the default) gives it one
logging.NullHandler: each call builds its message and LogRecord and the handler drops it,
which is what core_bench's spdlog null sink does with core's log line. `--log lambda` gives it
a handler that formats each record the way the Lambda Python runtime's handler does
("[LEVEL]\\tTIME.msZ\\trequest id\\tmessage") and writes the text to a stream that discards it.

The event is the one core_bench's BM_TriggerValid and BM_TriggerHandleProxy use: the REST proxy
event core::to_json writes for a ProxyEvent with resource and path /trigger, POST, one header
x-api-key, requestContext path /prod/trigger and stage prod, every other member empty or null,
and the same registration body.

Prints one JSON object: microseconds per request, the median of the repetitions, and each
repetition. Exit 1 if the handler does not answer 200 to the keyed event and 403 to a bad key.
Uses the standard library only.
"""

import argparse
import datetime
import gc
import json
import logging
import os
import platform
import statistics
import sys
import time
import uuid

API_KEY_DEFAULT = "bench-api-key-0123456789abcdef"  # core_bench's kKey

REGISTRATION_BODY = (
    '{"player_first_name":"John","player_last_name":"Smith","team_name":"Panthers",'
    '"age_group":"u11s","manager_full_name":"Alex Manager",'
    '"current_registration_season":"2025-26","parent_first_name":"Jane",'
    '"parent_last_name":"Smith","parent_tel":"+447700900123",'
    '"membership_fee_amount":"45.00","subscription_fee_amount":27.5}'
)

# Read once at import, as the seed reads API_KEY.
EXPECTED_KEY = os.environ.get("API_KEY", API_KEY_DEFAULT)

log = logging.getLogger()


def trigger_event(api_key):
    """The proxy event core_bench builds, member for member (see the module comment)."""
    identity = {name: None for name in (
        "accessKey", "accountId", "caller", "cognitoAuthenticationProvider",
        "cognitoAuthenticationType", "cognitoIdentityId", "cognitoIdentityPoolId",
        "principalOrgId", "sourceIp", "user", "userAgent", "userArn")}
    context = {name: "" for name in (
        "accountId", "apiId", "resourceId", "resourcePath", "httpMethod")}
    context.update(path="/prod/trigger", stage="prod", protocol="", requestId="",
                   extendedRequestId="", requestTime="", requestTimeEpoch=0, domainName="",
                   domainPrefix="", deploymentId="", identity=identity)
    return {
        "resource": "/trigger", "path": "/trigger", "httpMethod": "POST",
        "headers": {"x-api-key": api_key}, "multiValueHeaders": {},
        "queryStringParameters": None, "multiValueQueryStringParameters": None,
        "pathParameters": None, "stageVariables": None, "requestContext": context,
        "body": REGISTRATION_BODY, "isBase64Encoded": False,
    }


def answer(status_code, **members):
    return {"statusCode": status_code, "body": json.dumps(members)}


def on_trigger(event, request_id):
    ctx = {"request_id": request_id}
    try:
        return registration(event, request_id, ctx)
    except Exception as e:  # the seed answers any failure with 500
        log.error(f"trigger failed: {e}", extra=ctx)
        return answer(500, message="Error processing registration request", error=str(e),
                      request_id=request_id)


def registration(event, request_id, ctx):
    body = json.loads(event.get("body", "{}"))
    player_first = body.get("player_first_name", "")
    player_last = body.get("player_last_name", "")
    player = f"{player_first} {player_last}".strip() or "Unknown Player"
    parent_first = body.get("parent_first_name", "")
    parent_last = body.get("parent_last_name", "")
    parent = f"{parent_first} {parent_last}".strip() or "Unknown Parent"
    tel = body.get("parent_tel", "Unknown Phone")
    team = body.get("team_name", "Unknown Team")
    age_group = body.get("age_group", "Unknown Age Group")
    manager = body.get("manager_full_name", "Team Manager")
    season = body.get("current_registration_season", "2025-26")
    log.info(f"registration data in: {json.dumps(body)}", extra=ctx)
    log.info(f"registering {player}, parent: {parent}, phone: {tel}, team: {team} {age_group}",
             extra=ctx)
    _unused_context = {
        "player_data": {
            "player_first_name": player_first, "player_last_name": player_last,
            "team_name": team, "age_group": age_group, "manager_full_name": manager,
            "current_registration_season": season, "parent_first_name": parent_first,
            "parent_last_name": parent_last, "parent_tel": tel,
        },
        "timestamp": datetime.datetime.now().isoformat(),
        "request_id": request_id,
    }
    return answer(200, message="Registration data received successfully", player=player,
                  parent=parent, team=f"{team} {age_group}", status="pending",
                  request_id=request_id)


def seed_handler(event, _context):
    """The seed's lambda_handler on the /trigger route (other routes: not reconstructed)."""
    request_id = str(uuid.uuid4())
    ctx = {"request_id": request_id}
    try:
        return route(event, request_id, ctx)
    except NotImplementedError:
        raise
    except Exception as e:  # the seed answers any failure with 500
        log.error(f"request failed: {e}", extra=ctx)
        return answer(500, message="Error processing request", error=str(e),
                      request_id=request_id)


def route(event, request_id, ctx):
    log.info(f"event in: {json.dumps(event)}", extra=ctx)
    records = event.get("Records") if "Records" in event else None
    if records and "eventSource" in records[0] and records[0]["eventSource"] == "aws:sqs":
        raise NotImplementedError("SQS batches are not part of this reconstruction")
    if "requestContext" in event and "http" in event["requestContext"]:
        path = event["requestContext"]["http"]["path"]
    elif "rawPath" in event:
        path = event["rawPath"]
    else:
        path = event.get("path", "")
    log.info(f"path: {path}", extra=ctx)
    if "/trigger" not in path:
        raise NotImplementedError("only /trigger is reconstructed")
    key = None
    if "headers" in event:
        headers = event["headers"]
        key = headers.get("x-api-key") or headers.get("X-Api-Key")
    if key != EXPECTED_KEY:
        log.warning(f"bad or missing API key: {key}", extra=ctx)
        return answer(403, message="Forbidden: Invalid or missing API key",
                      request_id=request_id)
    return on_trigger(event, request_id)


class _Discard:
    def write(self, _text):
        pass

    def flush(self):
        pass


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = "8f507cfc-0000-4000-8000-000000000000"
        return True


def configure_logging(kind):
    log.handlers.clear()
    log.setLevel(logging.INFO)
    if kind == "null":
        log.addHandler(logging.NullHandler())
        return
    handler = logging.StreamHandler(_Discard())
    handler.setFormatter(logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
        "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(_RequestIdFilter())
    log.addHandler(handler)


def check(run_once, bad_key_event):
    """Refuses to time a path other than the 200 the figure is about."""
    ok = run_once()
    bad = seed_handler(bad_key_event, None)
    if ok["statusCode"] != 200 or json.loads(ok["body"])["status"] != "pending":
        sys.exit(f"seed_trigger: expected 200, got {ok}")
    if bad["statusCode"] != 403:
        sys.exit(f"seed_trigger: a bad key should get 403, got {bad}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--iterations", type=int, default=20000, help="requests per repetition")
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--log", choices=("null", "lambda"), default="null")
    p.add_argument("--json-edges", action="store_true",
                   help="also json.loads the event text and json.dumps the answer")
    args = p.parse_args()
    configure_logging(args.log)

    event = trigger_event(EXPECTED_KEY)
    event_text = json.dumps(event, separators=(",", ":"))
    if args.json_edges:
        def run_once():
            return json.loads(json.dumps(seed_handler(json.loads(event_text), None)))
    else:
        def run_once():
            return seed_handler(event, None)
    check(run_once, trigger_event("wrong-key"))

    for _ in range(min(args.iterations, 2000)):  # warm up
        run_once()
    reps_us = []
    handler = seed_handler
    for _ in range(args.repetitions):
        if args.json_edges:
            loads, dumps = json.loads, json.dumps
            start = time.perf_counter()
            for _ in range(args.iterations):
                dumps(handler(loads(event_text), None))
            elapsed = time.perf_counter() - start
        else:
            start = time.perf_counter()
            for _ in range(args.iterations):
                handler(event, None)
            elapsed = time.perf_counter() - start
        reps_us.append(elapsed / args.iterations * 1e6)
    print(json.dumps({
        "median_us": round(statistics.median(reps_us), 3),
        "repetitions_us": [round(r, 3) for r in reps_us],
        "iterations": args.iterations,
        "log": args.log,
        "json_edges": args.json_edges,
        "gc_enabled": gc.isenabled(),
        "python": platform.python_version(),
        "executable": sys.executable,
        "event_bytes": len(event_text),
    }))


if __name__ == "__main__":
    main()
