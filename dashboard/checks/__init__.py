"""Policy checks: each commitment of the privacy policy that data can test."""
