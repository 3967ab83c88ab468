"""Fulfilment that acts on the data: access packages, erasure, correction, opt-outs."""
