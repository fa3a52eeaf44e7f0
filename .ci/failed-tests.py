#!/usr/bin/env python3
"""Prints every failed test of the given TRX files with its message and the top of its stack (the end of a CI log)."""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}

for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as error:
        print(f"==> {path}: unreadable ({error})")
        continue
    for result in root.iterfind(".//t:UnitTestResult", NS):
        if result.get("outcome") != "Failed":
            continue
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NS).strip()
        stack = result.findtext("t:Output/t:ErrorInfo/t:StackTrace", default="", namespaces=NS).strip().splitlines()
        print(f"==> FAILED TEST {result.get('testName')} ({result.get('duration')})")
        print("    " + "\n    ".join(message.splitlines()[:20]))
        print("    " + "\n    ".join(stack[:6]))
