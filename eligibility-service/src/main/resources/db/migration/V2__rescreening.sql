-- a re-screening links to the screening it started from; as_of is the date facts were judged against
alter table screening add column previous_screening_id uuid references screening (id);
alter table screening add column as_of date;
