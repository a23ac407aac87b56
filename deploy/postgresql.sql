-- Run once as the postgres superuser: sudo -u postgres psql -f deploy/postgresql.sql
-- Then put the password you chose into NETRAL_DATABASE_URL in /etc/netral/netral.env.
CREATE ROLE netral LOGIN PASSWORD 'CHANGE-ME';
CREATE DATABASE netral OWNER netral ENCODING 'UTF8' TEMPLATE template0;
CREATE ROLE prefect LOGIN PASSWORD 'CHANGE-ME-TOO';
CREATE DATABASE prefect OWNER prefect ENCODING 'UTF8' TEMPLATE template0;
