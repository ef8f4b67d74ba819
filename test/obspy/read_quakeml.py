"""Reads a QuakeML file with ObsPy, the seismology community's library, as a seismologist would.

Usage: python read_quakeml.py FILE
Prints one JSON object: whether the file is valid against the QuakeML 1.2 RelaxNG schema
(ObsPy's own validator) and against the QuakeML 1.2 XSD that ObsPy ships, and every event's
origin time, latitude, longitude, depth (m) and magnitude as ObsPy reads them.
"""
import json
import sys
from pathlib import Path

import obspy.io.quakeml.core as quakeml
from lxml import etree
from obspy import read_events


def main(path):
    xsd = etree.XMLSchema(etree.parse(str(Path(quakeml.__file__).parent / "data" / "QuakeML-1.2.xsd")))
    valid_xsd = xsd.validate(etree.parse(path))
    catalog = read_events(path, format="QUAKEML")
    events = []
    for event in catalog:
        origin = event.preferred_origin()
        magnitude = event.preferred_magnitude()
        events.append(
            {
                "id": str(event.resource_id),
                "time": origin.time.isoformat(),
                "latitude": origin.latitude,
                "longitude": origin.longitude,
                "depth_m": origin.depth,
                "mag": None if magnitude is None else magnitude.mag,
                "type": event.event_type,
            }
        )
    print(
        json.dumps(
            {
                "valid_relaxng": bool(quakeml._validate(path, verbose=True)),
                "valid_xsd": bool(valid_xsd),
                "xsd_errors": [str(error) for error in xsd.error_log][:5],
                "events": events,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
