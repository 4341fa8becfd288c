"""Language models that ship with kolscope (sentiment), behind the ports in ``app/ports.py``."""
