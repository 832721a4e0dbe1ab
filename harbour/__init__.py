"""Harbour: a school's online-safety and safeguarding policy, run as software."""
