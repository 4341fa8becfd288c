"""SQLAlchemy 2.0 storage: tables, repositories, the unit of work and Alembic migrations."""
