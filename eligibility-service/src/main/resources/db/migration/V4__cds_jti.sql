-- CDS Hooks JWT ids already used, shared by every replica: a token is accepted once while it is valid
create table cds_jti (
    issuer      text        not null,
    jti         text        not null,
    expires_at  timestamptz not null,
    primary key (issuer, jti)
);
create index cds_jti_expires on cds_jti (expires_at);
