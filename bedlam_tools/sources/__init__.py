"""Pose sources behind one interface: synthetic (default), bedlam, amass."""
