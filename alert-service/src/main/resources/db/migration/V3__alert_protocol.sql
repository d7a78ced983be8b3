-- the protocol (id and version) the alert's finding was evaluated under: a deployment evaluates several protocols at
-- once, each patient under their course's. Null for alerts stored before findings named it.
alter table alert add column protocol_id      varchar(64);
alter table alert add column protocol_version varchar(32);
