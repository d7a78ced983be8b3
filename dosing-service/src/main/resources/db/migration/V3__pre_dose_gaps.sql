-- Rules monitoring marks as required before a dose (preDose) that it could not evaluate at this evaluation:
-- a JSON array of {"rule", "reason"}; any entry makes the pre-dose decision ASSESS.
alter table patient_evaluation add column pre_dose_gaps text not null default '[]';
