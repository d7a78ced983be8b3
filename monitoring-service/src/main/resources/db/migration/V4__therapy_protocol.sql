-- the protocol of the patient's course (course-ordered, course-protocol-changed); null for courses seen before
alter table patient_therapy add column protocol_id varchar(64);
alter table patient_therapy add column protocol_version varchar(32);
