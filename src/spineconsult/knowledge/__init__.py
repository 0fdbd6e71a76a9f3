"""Knowledge packs: validated data files the engine runs on."""

from spineconsult.knowledge.loader import Pack, PackError, default_pack, load_pack

__all__ = ["Pack", "PackError", "default_pack", "load_pack"]
