"""Incoming-document register: số ký hiệu parser, metadata extraction, numbering, export (R7.1a-1)."""
