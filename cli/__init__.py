"""Thin click commands over posescript_pipeline and bedlam_tools."""
