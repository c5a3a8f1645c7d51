"""Cleaning text whose HTML is gone: line rules, the line model, site templates and segmentation."""
from .blocks import Block, split_blocks
from .cleaner import analyse, clean_blocks, clean_text, clean_texts
from .templates import TemplateCounts, TemplateTable

__all__ = ["Block", "split_blocks", "analyse", "clean_blocks", "clean_text", "clean_texts", "TemplateCounts", "TemplateTable"]
