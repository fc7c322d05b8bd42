"""docgen: turn structured 安全生产 work plans into official Chinese government documents."""

__version__ = "0.1.0"
