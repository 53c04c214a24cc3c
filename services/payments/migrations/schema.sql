-- migrations sha256 0b0438632c0f68df2a9600553feaf380bbf41438e66dc96fb172c34fa20fd140
--
-- PostgreSQL database dump
--


SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: payments; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA payments;


SET default_table_access_method = heap;

--
-- Name: alembic_version; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.alembic_version (
    version_num character varying(32) NOT NULL
);


--
-- Name: bank_receipts; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.bank_receipts (
    id uuid NOT NULL,
    order_id uuid NOT NULL,
    amount_fen bigint NOT NULL,
    bank_reference character varying(100) NOT NULL,
    recorded_by uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    region_id uuid NOT NULL
);


--
-- Name: bank_refund_batches; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.bank_refund_batches (
    id uuid NOT NULL,
    region_id uuid NOT NULL,
    refund_count integer NOT NULL,
    total_fen bigint NOT NULL,
    created_by uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: bank_refund_history; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.bank_refund_history (
    id bigint NOT NULL,
    bank_refund_id uuid NOT NULL,
    from_status character varying(20),
    to_status character varying(20) NOT NULL,
    action character varying(20) NOT NULL,
    actor_user_id uuid NOT NULL,
    reason character varying(500),
    at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: bank_refund_history_id_seq; Type: SEQUENCE; Schema: payments; Owner: -
--

CREATE SEQUENCE payments.bank_refund_history_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: bank_refund_history_id_seq; Type: SEQUENCE OWNED BY; Schema: payments; Owner: -
--

ALTER SEQUENCE payments.bank_refund_history_id_seq OWNED BY payments.bank_refund_history.id;


--
-- Name: bank_refunds; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.bank_refunds (
    id uuid NOT NULL,
    region_id uuid NOT NULL,
    buyer_org_id uuid NOT NULL,
    order_id uuid,
    amount_fen bigint NOT NULL,
    status character varying(20) NOT NULL,
    account_name character varying(100) NOT NULL,
    bank_name character varying(100) NOT NULL,
    account_number character varying(34) NOT NULL,
    reason character varying(500),
    requested_by uuid NOT NULL,
    batch_id uuid,
    bank_reference character varying(100),
    paid_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: buyer_bank_accounts; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.buyer_bank_accounts (
    buyer_org_id uuid NOT NULL,
    region_id uuid NOT NULL,
    account_name character varying(100) NOT NULL,
    bank_name character varying(100) NOT NULL,
    account_number character varying(34) NOT NULL,
    set_by uuid NOT NULL,
    set_at timestamp with time zone NOT NULL
);


--
-- Name: cod_collections; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.cod_collections (
    order_id uuid NOT NULL,
    run_id uuid NOT NULL,
    region_id uuid NOT NULL,
    driver_user_id uuid,
    amount_fen bigint NOT NULL,
    collected_at timestamp with time zone
);


--
-- Name: cod_hand_ins; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.cod_hand_ins (
    id uuid NOT NULL,
    run_id uuid NOT NULL,
    amount_fen bigint NOT NULL,
    recorded_by uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: commission_payees; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.commission_payees (
    payee_org_id uuid NOT NULL,
    region_id uuid NOT NULL,
    payee_kind character varying(20) NOT NULL,
    carried_fen bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: commission_payout_batches; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.commission_payout_batches (
    id uuid NOT NULL,
    region_id uuid NOT NULL,
    status character varying(20) NOT NULL,
    payout_count integer NOT NULL,
    total_fen bigint NOT NULL,
    created_by uuid NOT NULL,
    bank_reference character varying(100),
    paid_by uuid,
    paid_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: commission_payouts; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.commission_payouts (
    id uuid NOT NULL,
    statement_id uuid NOT NULL,
    region_id uuid NOT NULL,
    payee_org_id uuid NOT NULL,
    payee_kind character varying(20) NOT NULL,
    period character varying(7) NOT NULL,
    total_fen bigint NOT NULL,
    line_count integer NOT NULL,
    approved_at timestamp with time zone NOT NULL,
    carried_in_fen bigint NOT NULL,
    amount_fen bigint NOT NULL,
    carried_out_fen bigint NOT NULL,
    status character varying(20) NOT NULL,
    batch_id uuid,
    paid_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: consignment_payables; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.consignment_payables (
    entry_id uuid NOT NULL,
    region_id uuid NOT NULL,
    supplier_id uuid NOT NULL,
    catalog_product_id uuid NOT NULL,
    sale_line_id uuid,
    quantity bigint NOT NULL,
    supply_price_fen bigint NOT NULL,
    amount_fen bigint NOT NULL,
    sold_at timestamp with time zone NOT NULL
);


--
-- Name: credit_lines; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.credit_lines (
    buyer_org_id uuid NOT NULL,
    region_id uuid NOT NULL,
    limit_fen bigint NOT NULL,
    terms_days bigint NOT NULL,
    set_at timestamp with time zone NOT NULL
);


--
-- Name: dead_letters; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.dead_letters (
    id bigint NOT NULL,
    event_id uuid NOT NULL,
    event_type character varying(120) NOT NULL,
    consumer character varying(60) NOT NULL,
    event jsonb NOT NULL,
    error text NOT NULL,
    attempts integer DEFAULT 1 NOT NULL,
    first_failed_at timestamp with time zone DEFAULT now() NOT NULL,
    last_failed_at timestamp with time zone DEFAULT now() NOT NULL,
    retried_at timestamp with time zone
);


--
-- Name: dead_letters_id_seq; Type: SEQUENCE; Schema: payments; Owner: -
--

ALTER TABLE payments.dead_letters ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME payments.dead_letters_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: goods_receipts; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.goods_receipts (
    purchase_order_id uuid NOT NULL,
    region_id uuid NOT NULL,
    supplier_id uuid NOT NULL,
    lines json NOT NULL,
    accepted_amount_fen bigint NOT NULL,
    rejected_amount_fen bigint NOT NULL,
    received_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: idempotency_keys; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.idempotency_keys (
    scope character varying(200) NOT NULL,
    key character varying(200) NOT NULL,
    request_hash character varying(64) NOT NULL,
    status_code integer,
    response_body bytea,
    response_headers jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: inbox; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.inbox (
    event_id uuid NOT NULL,
    event_type character varying(120) NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: journal_entries; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.journal_entries (
    id uuid NOT NULL,
    region_id uuid,
    cause_type character varying(40) NOT NULL,
    cause_id character varying(200) NOT NULL,
    memo character varying(200) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: journal_lines; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.journal_lines (
    id bigint NOT NULL,
    entry_id uuid NOT NULL,
    purpose character varying(40) NOT NULL,
    org_id uuid,
    debit_fen bigint NOT NULL,
    credit_fen bigint NOT NULL
);


--
-- Name: journal_lines_id_seq; Type: SEQUENCE; Schema: payments; Owner: -
--

CREATE SEQUENCE payments.journal_lines_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: journal_lines_id_seq; Type: SEQUENCE OWNED BY; Schema: payments; Owner: -
--

ALTER SEQUENCE payments.journal_lines_id_seq OWNED BY payments.journal_lines.id;


--
-- Name: orders; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.orders (
    order_id uuid NOT NULL,
    region_id uuid NOT NULL,
    buyer_org_id uuid NOT NULL,
    total_fen bigint NOT NULL,
    payment_method character varying(20) NOT NULL,
    status character varying(20) NOT NULL,
    lines json NOT NULL,
    removed_fen bigint NOT NULL,
    paid_fen bigint NOT NULL,
    refunded_fen bigint NOT NULL,
    shortened json NOT NULL,
    reference_code character varying(40),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    delivered_at timestamp with time zone,
    closed_at timestamp with time zone,
    placed_at timestamp with time zone NOT NULL
);


--
-- Name: outbox; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.outbox (
    seq bigint NOT NULL,
    event_id uuid NOT NULL,
    event_type character varying(120) NOT NULL,
    region_id uuid,
    payload jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    published_at timestamp with time zone,
    attempts integer DEFAULT 0 NOT NULL
);


--
-- Name: outbox_seq_seq; Type: SEQUENCE; Schema: payments; Owner: -
--

ALTER TABLE payments.outbox ALTER COLUMN seq ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME payments.outbox_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: payment_history; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.payment_history (
    id bigint NOT NULL,
    payment_id uuid NOT NULL,
    from_status character varying(30) NOT NULL,
    to_status character varying(30) NOT NULL,
    actor character varying(100) NOT NULL,
    reason character varying(500),
    at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: payment_history_id_seq; Type: SEQUENCE; Schema: payments; Owner: -
--

CREATE SEQUENCE payments.payment_history_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: payment_history_id_seq; Type: SEQUENCE OWNED BY; Schema: payments; Owner: -
--

ALTER SEQUENCE payments.payment_history_id_seq OWNED BY payments.payment_history.id;


--
-- Name: payments; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.payments (
    id uuid NOT NULL,
    order_id uuid NOT NULL,
    region_id uuid NOT NULL,
    buyer_org_id uuid NOT NULL,
    provider character varying(20) NOT NULL,
    method character varying(20) NOT NULL,
    amount_fen bigint NOT NULL,
    currency character varying(3) NOT NULL,
    status character varying(30) NOT NULL,
    provider_ref character varying(100),
    client_secret character varying(200),
    idempotency_key character varying(100) NOT NULL,
    last_error character varying(500),
    paid_fen bigint NOT NULL,
    refunded_fen bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: refunds; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.refunds (
    id uuid NOT NULL,
    order_id uuid NOT NULL,
    cause character varying(200) NOT NULL,
    kind character varying(20) NOT NULL,
    amount_fen bigint NOT NULL,
    provider_ref character varying(100),
    status character varying(20) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: regions; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.regions (
    id uuid NOT NULL,
    timezone character varying(64) NOT NULL
);


--
-- Name: status_changes; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.status_changes (
    id bigint NOT NULL,
    machine character varying(60) NOT NULL,
    entity_id character varying(100) NOT NULL,
    from_state character varying(40) NOT NULL,
    to_state character varying(40) NOT NULL,
    action character varying(60) NOT NULL,
    actor_id uuid,
    reason text,
    data jsonb,
    at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: status_changes_id_seq; Type: SEQUENCE; Schema: payments; Owner: -
--

ALTER TABLE payments.status_changes ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME payments.status_changes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: stripe_events; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.stripe_events (
    event_id character varying(100) NOT NULL,
    event_type character varying(100) NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: supplier_statements; Type: TABLE; Schema: payments; Owner: -
--

CREATE TABLE payments.supplier_statements (
    id uuid NOT NULL,
    region_id uuid NOT NULL,
    supplier_id uuid NOT NULL,
    month character varying(7) NOT NULL,
    sold_fen bigint NOT NULL,
    shortages_fen bigint NOT NULL,
    fee_fen bigint NOT NULL,
    payable_fen bigint NOT NULL,
    status character varying(20) NOT NULL,
    paid_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    timezone character varying(64) DEFAULT 'Asia/Shanghai'::character varying NOT NULL,
    period_start timestamp with time zone,
    period_end timestamp with time zone,
    consignment_fen bigint DEFAULT '0'::bigint NOT NULL
);


--
-- Name: bank_refund_history id; Type: DEFAULT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.bank_refund_history ALTER COLUMN id SET DEFAULT nextval('payments.bank_refund_history_id_seq'::regclass);


--
-- Name: journal_lines id; Type: DEFAULT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.journal_lines ALTER COLUMN id SET DEFAULT nextval('payments.journal_lines_id_seq'::regclass);


--
-- Name: payment_history id; Type: DEFAULT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.payment_history ALTER COLUMN id SET DEFAULT nextval('payments.payment_history_id_seq'::regclass);


--
-- Data for Name: alembic_version; Type: TABLE DATA; Schema: payments; Owner: -
--

INSERT INTO payments.alembic_version VALUES ('d4b0e5f6a702');


--
-- Data for Name: bank_receipts; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: bank_refund_batches; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: bank_refund_history; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: bank_refunds; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: buyer_bank_accounts; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: cod_collections; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: cod_hand_ins; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: commission_payees; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: commission_payout_batches; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: commission_payouts; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: consignment_payables; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: credit_lines; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: dead_letters; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: goods_receipts; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: idempotency_keys; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: inbox; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: journal_entries; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: journal_lines; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: orders; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: outbox; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: payment_history; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: payments; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: refunds; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: regions; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: status_changes; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: stripe_events; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Data for Name: supplier_statements; Type: TABLE DATA; Schema: payments; Owner: -
--



--
-- Name: bank_refund_history_id_seq; Type: SEQUENCE SET; Schema: payments; Owner: -
--

SELECT pg_catalog.setval('payments.bank_refund_history_id_seq', 1, false);


--
-- Name: dead_letters_id_seq; Type: SEQUENCE SET; Schema: payments; Owner: -
--

SELECT pg_catalog.setval('payments.dead_letters_id_seq', 1, false);


--
-- Name: journal_lines_id_seq; Type: SEQUENCE SET; Schema: payments; Owner: -
--

SELECT pg_catalog.setval('payments.journal_lines_id_seq', 1, false);


--
-- Name: outbox_seq_seq; Type: SEQUENCE SET; Schema: payments; Owner: -
--

SELECT pg_catalog.setval('payments.outbox_seq_seq', 1, false);


--
-- Name: payment_history_id_seq; Type: SEQUENCE SET; Schema: payments; Owner: -
--

SELECT pg_catalog.setval('payments.payment_history_id_seq', 1, false);


--
-- Name: status_changes_id_seq; Type: SEQUENCE SET; Schema: payments; Owner: -
--

SELECT pg_catalog.setval('payments.status_changes_id_seq', 1, false);


--
-- Name: alembic_version alembic_version_pkc; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);


--
-- Name: bank_receipts pk_bank_receipts; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.bank_receipts
    ADD CONSTRAINT pk_bank_receipts PRIMARY KEY (id);


--
-- Name: bank_refund_batches pk_bank_refund_batches; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.bank_refund_batches
    ADD CONSTRAINT pk_bank_refund_batches PRIMARY KEY (id);


--
-- Name: bank_refund_history pk_bank_refund_history; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.bank_refund_history
    ADD CONSTRAINT pk_bank_refund_history PRIMARY KEY (id);


--
-- Name: bank_refunds pk_bank_refunds; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.bank_refunds
    ADD CONSTRAINT pk_bank_refunds PRIMARY KEY (id);


--
-- Name: buyer_bank_accounts pk_buyer_bank_accounts; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.buyer_bank_accounts
    ADD CONSTRAINT pk_buyer_bank_accounts PRIMARY KEY (buyer_org_id);


--
-- Name: cod_collections pk_cod_collections; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.cod_collections
    ADD CONSTRAINT pk_cod_collections PRIMARY KEY (order_id);


--
-- Name: cod_hand_ins pk_cod_hand_ins; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.cod_hand_ins
    ADD CONSTRAINT pk_cod_hand_ins PRIMARY KEY (id);


--
-- Name: commission_payees pk_commission_payees; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.commission_payees
    ADD CONSTRAINT pk_commission_payees PRIMARY KEY (payee_org_id);


--
-- Name: commission_payout_batches pk_commission_payout_batches; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.commission_payout_batches
    ADD CONSTRAINT pk_commission_payout_batches PRIMARY KEY (id);


--
-- Name: commission_payouts pk_commission_payouts; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.commission_payouts
    ADD CONSTRAINT pk_commission_payouts PRIMARY KEY (id);


--
-- Name: consignment_payables pk_consignment_payables; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.consignment_payables
    ADD CONSTRAINT pk_consignment_payables PRIMARY KEY (entry_id);


--
-- Name: credit_lines pk_credit_lines; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.credit_lines
    ADD CONSTRAINT pk_credit_lines PRIMARY KEY (buyer_org_id);


--
-- Name: dead_letters pk_dead_letters; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.dead_letters
    ADD CONSTRAINT pk_dead_letters PRIMARY KEY (id);


--
-- Name: goods_receipts pk_goods_receipts; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.goods_receipts
    ADD CONSTRAINT pk_goods_receipts PRIMARY KEY (purchase_order_id);


--
-- Name: idempotency_keys pk_idempotency_keys; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.idempotency_keys
    ADD CONSTRAINT pk_idempotency_keys PRIMARY KEY (scope, key);


--
-- Name: inbox pk_inbox; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.inbox
    ADD CONSTRAINT pk_inbox PRIMARY KEY (event_id);


--
-- Name: journal_entries pk_journal_entries; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.journal_entries
    ADD CONSTRAINT pk_journal_entries PRIMARY KEY (id);


--
-- Name: journal_lines pk_journal_lines; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.journal_lines
    ADD CONSTRAINT pk_journal_lines PRIMARY KEY (id);


--
-- Name: orders pk_orders; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.orders
    ADD CONSTRAINT pk_orders PRIMARY KEY (order_id);


--
-- Name: outbox pk_outbox; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.outbox
    ADD CONSTRAINT pk_outbox PRIMARY KEY (seq);


--
-- Name: payment_history pk_payment_history; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.payment_history
    ADD CONSTRAINT pk_payment_history PRIMARY KEY (id);


--
-- Name: payments pk_payments; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.payments
    ADD CONSTRAINT pk_payments PRIMARY KEY (id);


--
-- Name: refunds pk_refunds; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.refunds
    ADD CONSTRAINT pk_refunds PRIMARY KEY (id);


--
-- Name: regions pk_regions; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.regions
    ADD CONSTRAINT pk_regions PRIMARY KEY (id);


--
-- Name: status_changes pk_status_changes; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.status_changes
    ADD CONSTRAINT pk_status_changes PRIMARY KEY (id);


--
-- Name: stripe_events pk_stripe_events; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.stripe_events
    ADD CONSTRAINT pk_stripe_events PRIMARY KEY (event_id);


--
-- Name: supplier_statements pk_supplier_statements; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.supplier_statements
    ADD CONSTRAINT pk_supplier_statements PRIMARY KEY (id);


--
-- Name: bank_receipts uq_bank_receipts_region_id_bank_reference; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.bank_receipts
    ADD CONSTRAINT uq_bank_receipts_region_id_bank_reference UNIQUE (region_id, bank_reference);


--
-- Name: commission_payouts uq_commission_payouts_statement_id; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.commission_payouts
    ADD CONSTRAINT uq_commission_payouts_statement_id UNIQUE (statement_id);


--
-- Name: dead_letters uq_dead_letters_event_id_consumer; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.dead_letters
    ADD CONSTRAINT uq_dead_letters_event_id_consumer UNIQUE (event_id, consumer);


--
-- Name: journal_entries uq_journal_entries_cause_type_cause_id; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.journal_entries
    ADD CONSTRAINT uq_journal_entries_cause_type_cause_id UNIQUE (cause_type, cause_id);


--
-- Name: orders uq_orders_reference_code; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.orders
    ADD CONSTRAINT uq_orders_reference_code UNIQUE (reference_code);


--
-- Name: outbox uq_outbox_event_id; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.outbox
    ADD CONSTRAINT uq_outbox_event_id UNIQUE (event_id);


--
-- Name: payments uq_payments_provider_ref; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.payments
    ADD CONSTRAINT uq_payments_provider_ref UNIQUE (provider_ref);


--
-- Name: refunds uq_refunds_cause; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.refunds
    ADD CONSTRAINT uq_refunds_cause UNIQUE (cause);


--
-- Name: supplier_statements uq_supplier_statements_supplier_id_month; Type: CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.supplier_statements
    ADD CONSTRAINT uq_supplier_statements_supplier_id_month UNIQUE (supplier_id, month);


--
-- Name: ix_payments_bank_receipts_order_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_bank_receipts_order_id ON payments.bank_receipts USING btree (order_id);


--
-- Name: ix_payments_bank_receipts_region_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_bank_receipts_region_id ON payments.bank_receipts USING btree (region_id);


--
-- Name: ix_payments_bank_refund_batches_region_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_bank_refund_batches_region_id ON payments.bank_refund_batches USING btree (region_id);


--
-- Name: ix_payments_bank_refund_history_bank_refund_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_bank_refund_history_bank_refund_id ON payments.bank_refund_history USING btree (bank_refund_id);


--
-- Name: ix_payments_bank_refunds_batch_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_bank_refunds_batch_id ON payments.bank_refunds USING btree (batch_id);


--
-- Name: ix_payments_bank_refunds_buyer_org_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_bank_refunds_buyer_org_id ON payments.bank_refunds USING btree (buyer_org_id);


--
-- Name: ix_payments_bank_refunds_order_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_bank_refunds_order_id ON payments.bank_refunds USING btree (order_id);


--
-- Name: ix_payments_bank_refunds_region_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_bank_refunds_region_id ON payments.bank_refunds USING btree (region_id);


--
-- Name: ix_payments_bank_refunds_status; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_bank_refunds_status ON payments.bank_refunds USING btree (status);


--
-- Name: ix_payments_buyer_bank_accounts_region_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_buyer_bank_accounts_region_id ON payments.buyer_bank_accounts USING btree (region_id);


--
-- Name: ix_payments_cod_collections_region_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_cod_collections_region_id ON payments.cod_collections USING btree (region_id);


--
-- Name: ix_payments_cod_collections_run_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_cod_collections_run_id ON payments.cod_collections USING btree (run_id);


--
-- Name: ix_payments_cod_hand_ins_run_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_cod_hand_ins_run_id ON payments.cod_hand_ins USING btree (run_id);


--
-- Name: ix_payments_commission_payees_region_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_commission_payees_region_id ON payments.commission_payees USING btree (region_id);


--
-- Name: ix_payments_commission_payout_batches_region_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_commission_payout_batches_region_id ON payments.commission_payout_batches USING btree (region_id);


--
-- Name: ix_payments_commission_payouts_batch_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_commission_payouts_batch_id ON payments.commission_payouts USING btree (batch_id);


--
-- Name: ix_payments_commission_payouts_payee_org_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_commission_payouts_payee_org_id ON payments.commission_payouts USING btree (payee_org_id);


--
-- Name: ix_payments_commission_payouts_region_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_commission_payouts_region_id ON payments.commission_payouts USING btree (region_id);


--
-- Name: ix_payments_commission_payouts_status; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_commission_payouts_status ON payments.commission_payouts USING btree (status);


--
-- Name: ix_payments_consignment_payables_region_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_consignment_payables_region_id ON payments.consignment_payables USING btree (region_id);


--
-- Name: ix_payments_consignment_payables_sold_at; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_consignment_payables_sold_at ON payments.consignment_payables USING btree (sold_at);


--
-- Name: ix_payments_consignment_payables_supplier_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_consignment_payables_supplier_id ON payments.consignment_payables USING btree (supplier_id);


--
-- Name: ix_payments_credit_lines_region_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_credit_lines_region_id ON payments.credit_lines USING btree (region_id);


--
-- Name: ix_payments_credit_lines_set_at; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_credit_lines_set_at ON payments.credit_lines USING btree (set_at);


--
-- Name: ix_payments_goods_receipts_region_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_goods_receipts_region_id ON payments.goods_receipts USING btree (region_id);


--
-- Name: ix_payments_goods_receipts_supplier_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_goods_receipts_supplier_id ON payments.goods_receipts USING btree (supplier_id);


--
-- Name: ix_payments_journal_entries_region_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_journal_entries_region_id ON payments.journal_entries USING btree (region_id);


--
-- Name: ix_payments_journal_lines_entry_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_journal_lines_entry_id ON payments.journal_lines USING btree (entry_id);


--
-- Name: ix_payments_journal_lines_org_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_journal_lines_org_id ON payments.journal_lines USING btree (org_id);


--
-- Name: ix_payments_orders_buyer_org_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_orders_buyer_org_id ON payments.orders USING btree (buyer_org_id);


--
-- Name: ix_payments_orders_placed_at; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_orders_placed_at ON payments.orders USING btree (placed_at);


--
-- Name: ix_payments_orders_region_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_orders_region_id ON payments.orders USING btree (region_id);


--
-- Name: ix_payments_outbox_published_at; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_outbox_published_at ON payments.outbox USING btree (published_at);


--
-- Name: ix_payments_payment_history_payment_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_payment_history_payment_id ON payments.payment_history USING btree (payment_id);


--
-- Name: ix_payments_payments_buyer_org_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_payments_buyer_org_id ON payments.payments USING btree (buyer_org_id);


--
-- Name: ix_payments_payments_order_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE UNIQUE INDEX ix_payments_payments_order_id ON payments.payments USING btree (order_id);


--
-- Name: ix_payments_payments_region_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_payments_region_id ON payments.payments USING btree (region_id);


--
-- Name: ix_payments_refunds_order_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_refunds_order_id ON payments.refunds USING btree (order_id);


--
-- Name: ix_payments_refunds_status; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_refunds_status ON payments.refunds USING btree (status);


--
-- Name: ix_payments_supplier_statements_region_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_supplier_statements_region_id ON payments.supplier_statements USING btree (region_id);


--
-- Name: ix_payments_supplier_statements_supplier_id; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_payments_supplier_statements_supplier_id ON payments.supplier_statements USING btree (supplier_id);


--
-- Name: ix_status_changes_machine_entity; Type: INDEX; Schema: payments; Owner: -
--

CREATE INDEX ix_status_changes_machine_entity ON payments.status_changes USING btree (machine, entity_id);


--
-- Name: bank_refund_history fk_bank_refund_history_bank_refund_id_bank_refunds; Type: FK CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.bank_refund_history
    ADD CONSTRAINT fk_bank_refund_history_bank_refund_id_bank_refunds FOREIGN KEY (bank_refund_id) REFERENCES payments.bank_refunds(id);


--
-- Name: bank_refunds fk_bank_refunds_batch_id_bank_refund_batches; Type: FK CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.bank_refunds
    ADD CONSTRAINT fk_bank_refunds_batch_id_bank_refund_batches FOREIGN KEY (batch_id) REFERENCES payments.bank_refund_batches(id);


--
-- Name: commission_payouts fk_commission_payouts_batch_id_commission_payout_batches; Type: FK CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.commission_payouts
    ADD CONSTRAINT fk_commission_payouts_batch_id_commission_payout_batches FOREIGN KEY (batch_id) REFERENCES payments.commission_payout_batches(id);


--
-- Name: journal_lines fk_journal_lines_entry_id_journal_entries; Type: FK CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.journal_lines
    ADD CONSTRAINT fk_journal_lines_entry_id_journal_entries FOREIGN KEY (entry_id) REFERENCES payments.journal_entries(id);


--
-- Name: payment_history fk_payment_history_payment_id_payments; Type: FK CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.payment_history
    ADD CONSTRAINT fk_payment_history_payment_id_payments FOREIGN KEY (payment_id) REFERENCES payments.payments(id);


--
-- Name: payments fk_payments_order_id_orders; Type: FK CONSTRAINT; Schema: payments; Owner: -
--

ALTER TABLE ONLY payments.payments
    ADD CONSTRAINT fk_payments_order_id_orders FOREIGN KEY (order_id) REFERENCES payments.orders(order_id);


--
-- PostgreSQL database dump complete
--
