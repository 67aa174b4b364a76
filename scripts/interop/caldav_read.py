#!/usr/bin/env python3
"""Reads a CalDAV calendar back as a client would and prints its events as JSON.

    caldav_read.py COLLECTION-URL USER PASSWORD-ENV

PROPFIND (Depth 1) lists the resources, GET fetches each, and the `icalendar` package
parses it. Prints {"resources": N, "events": {UID: {...}}}; each resource must hold
exactly one VEVENT and define every TZID it uses.
"""
import base64, json, os, sys, urllib.parse, urllib.request
import xml.etree.ElementTree as ET
import icalendar

url, user, password = sys.argv[1], sys.argv[2], os.environ[sys.argv[3]]
auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

def send(method, target, body=None, headers=None):
    req = urllib.request.Request(target, data=body, method=method, headers={"Authorization": auth, **(headers or {})})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.read()

status, body = send("PROPFIND", url, b'<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>', {"Depth": "1"})
ns = {"d": "DAV:"}
events, resources = {}, 0
for resp in ET.fromstring(body).findall("d:response", ns):
    if resp.find(".//d:resourcetype/d:collection", ns) is not None:
        continue
    href = resp.find("d:href", ns).text
    _, data = send("GET", urllib.parse.urljoin(url, href))
    resources += 1
    cal = icalendar.Calendar.from_ical(data)
    vevents = list(cal.walk("VEVENT"))
    assert len(vevents) == 1, f"{href}: {len(vevents)} VEVENTs"
    zones = {str(z.get("TZID")) for z in cal.walk("VTIMEZONE")}
    e = vevents[0]
    used = {e.get(k).params.get("TZID") for k in ("DTSTART", "DTEND") if e.get(k) is not None} - {None}
    assert used <= zones, f"{href}: TZID {used - zones} not defined"
    cats = e.get("CATEGORIES")
    events[str(e.get("UID"))] = {
        "href": href,
        "sequence": int(e.get("SEQUENCE", 0)),
        "status": str(e.get("STATUS", "")),
        "summary": str(e.get("SUMMARY", "")),
        "description": str(e.get("DESCRIPTION", "")),
        "url": str(e.get("URL", "")),
        "categories": [str(c) for c in cats.cats] if cats is not None else [],
        "start": e.decoded("DTSTART").isoformat(),
        "patient": str(cal.get("X-REHAB-PATIENT", "")),
    }
print(json.dumps({"resources": resources, "events": events}, sort_keys=True))
