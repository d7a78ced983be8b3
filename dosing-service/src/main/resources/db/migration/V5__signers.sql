-- Who signed, as their credentials' subjects: two signatures are compared by subject, never by the names shown.
alter table course add column ordered_by_subject text;
alter table course add column verified_by_subject text;
alter table dose_record add column recorded_by_subject text;
alter table dose_record add column verified_by_subject text;
