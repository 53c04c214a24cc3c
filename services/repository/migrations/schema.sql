-- migrations sha256 adc3e5130abb0119c7df851feaa523f30584434c25c3a069629d2a99f13bf1fc
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
-- Name: repository; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA repository;


SET default_table_access_method = heap;

--
-- Name: alembic_version; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.alembic_version (
    version_num character varying(32) NOT NULL
);


--
-- Name: buyer_accounts; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.buyer_accounts (
    org_id uuid NOT NULL,
    region_id uuid NOT NULL,
    kind character varying(20) NOT NULL,
    name character varying(200) NOT NULL,
    stop_id uuid,
    station_org_id uuid,
    payment_methods character varying(20)[] NOT NULL,
    credit_limit_fen bigint NOT NULL,
    terms_days integer NOT NULL,
    status character varying(20) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT ck_buyer_accounts_credit_limit CHECK ((credit_limit_fen >= 0)),
    CONSTRAINT ck_buyer_accounts_terms_days CHECK ((terms_days >= 0))
);


--
-- Name: buyer_past_purchases; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.buyer_past_purchases (
    id uuid NOT NULL,
    buyer_org_id uuid NOT NULL,
    offer_id uuid NOT NULL,
    ordered_on date NOT NULL,
    cases integer NOT NULL,
    source character varying(200) NOT NULL,
    recorded_by_user_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT ck_buyer_past_purchases_cases CHECK ((cases > 0))
);


--
-- Name: cart_lines; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.cart_lines (
    buyer_org_id uuid NOT NULL,
    offer_id uuid NOT NULL,
    cases integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT ck_cart_lines_cases CHECK ((cases > 0))
);


--
-- Name: catalog_variants; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.catalog_variants (
    variant_id uuid NOT NULL,
    product_id uuid NOT NULL,
    region_id uuid NOT NULL,
    supplier_id uuid NOT NULL,
    product_name character varying(200) NOT NULL,
    variant_name character varying(200) NOT NULL,
    sku character varying(80),
    unit character varying(40),
    category character varying(100),
    brand character varying(200),
    storage character varying(20) NOT NULL,
    net_weight_g integer,
    volume_cm3 integer,
    channels character varying(20)[] NOT NULL,
    listed boolean NOT NULL,
    delist_reason character varying(500),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: consignment_loose_units; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.consignment_loose_units (
    warehouse_id uuid NOT NULL,
    variant_id uuid NOT NULL,
    case_pack integer NOT NULL,
    units integer NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: consignment_returns; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.consignment_returns (
    return_id uuid NOT NULL,
    region_id uuid NOT NULL,
    supplier_id uuid NOT NULL,
    product_id uuid NOT NULL,
    destination character varying(20) NOT NULL,
    warehouse_id uuid,
    variant_id uuid,
    quantity integer NOT NULL,
    cases integer NOT NULL,
    loose_units integer NOT NULL,
    outcome character varying(20) NOT NULL,
    at timestamp with time zone NOT NULL
);


--
-- Name: consignment_transfers; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.consignment_transfers (
    id uuid NOT NULL,
    region_id uuid NOT NULL,
    warehouse_id uuid NOT NULL,
    supplier_id uuid NOT NULL,
    offer_id uuid NOT NULL,
    variant_id uuid NOT NULL,
    product_id uuid NOT NULL,
    cases integer NOT NULL,
    case_pack integer NOT NULL,
    quantity integer NOT NULL,
    reason character varying(500),
    actor_user_id uuid,
    at timestamp with time zone NOT NULL
);


--
-- Name: consolidation_runs; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.consolidation_runs (
    region_id uuid NOT NULL,
    window_date date NOT NULL,
    status character varying(12) NOT NULL,
    attempts integer NOT NULL,
    orders integer NOT NULL,
    lines integer NOT NULL,
    purchase_orders integer NOT NULL,
    finished_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    phase character varying(12) DEFAULT 'queued'::character varying NOT NULL,
    orders_total integer DEFAULT 0 NOT NULL,
    orders_done integer DEFAULT 0 NOT NULL,
    suppliers_total integer DEFAULT 0 NOT NULL,
    suppliers_done integer DEFAULT 0 NOT NULL,
    requested_by_user_id uuid,
    started_at timestamp with time zone
);


--
-- Name: dead_letters; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.dead_letters (
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
-- Name: dead_letters_id_seq; Type: SEQUENCE; Schema: repository; Owner: -
--

ALTER TABLE repository.dead_letters ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME repository.dead_letters_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: goods_receipts; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.goods_receipts (
    id uuid NOT NULL,
    purchase_order_id uuid NOT NULL,
    received_by_user_id uuid,
    lines jsonb NOT NULL,
    at timestamp with time zone NOT NULL
);


--
-- Name: idempotency_keys; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.idempotency_keys (
    scope character varying(200) NOT NULL,
    key character varying(200) NOT NULL,
    request_hash character varying(64) NOT NULL,
    status_code integer,
    response_body bytea,
    response_headers jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: inbox; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.inbox (
    event_id uuid NOT NULL,
    event_type character varying(120) NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: offers; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.offers (
    id uuid NOT NULL,
    region_id uuid NOT NULL,
    supplier_id uuid NOT NULL,
    variant_id uuid NOT NULL,
    direction character varying(12) NOT NULL,
    unit_name character varying(40) NOT NULL,
    case_pack integer NOT NULL,
    min_order_cases integer NOT NULL,
    multiple_cases integer NOT NULL,
    price_tiers jsonb NOT NULL,
    open_regions uuid[] NOT NULL,
    buyer_kinds character varying(20)[] NOT NULL,
    fulfilment character varying(12) NOT NULL,
    lead_time_days integer NOT NULL,
    status character varying(12) NOT NULL,
    version integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT ck_offers_case_pack CHECK ((case_pack > 0)),
    CONSTRAINT ck_offers_lead_time CHECK ((lead_time_days >= 0)),
    CONSTRAINT ck_offers_moq CHECK ((min_order_cases > 0)),
    CONSTRAINT ck_offers_multiple CHECK ((multiple_cases > 0))
);


--
-- Name: order_lines; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.order_lines (
    id uuid NOT NULL,
    order_id uuid NOT NULL,
    line_no integer NOT NULL,
    offer_id uuid NOT NULL,
    variant_id uuid NOT NULL,
    supplier_id uuid NOT NULL,
    fulfilment character varying(12) NOT NULL,
    warehouse_id uuid,
    cases integer NOT NULL,
    case_pack integer NOT NULL,
    unit_price_fen bigint NOT NULL,
    amount_fen bigint NOT NULL,
    allocated_cases integer NOT NULL,
    shortened_cases integer NOT NULL,
    purchase_order_line_id uuid,
    CONSTRAINT ck_order_lines_cases CHECK ((cases > 0)),
    CONSTRAINT ck_order_lines_settled CHECK (((allocated_cases + shortened_cases) <= cases))
);


--
-- Name: order_transitions; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.order_transitions (
    id uuid NOT NULL,
    order_id uuid NOT NULL,
    from_status character varying(24),
    to_status character varying(24) NOT NULL,
    action character varying(24) NOT NULL,
    actor_user_id uuid,
    reason character varying(500),
    at timestamp with time zone NOT NULL
);


--
-- Name: orders; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.orders (
    id uuid NOT NULL,
    serial bigint NOT NULL,
    number character varying(32) NOT NULL,
    region_id uuid NOT NULL,
    buyer_org_id uuid NOT NULL,
    placed_by_user_id uuid,
    status character varying(24) NOT NULL,
    payment_method character varying(20) NOT NULL,
    window_date date NOT NULL,
    cutoff_at timestamp with time zone NOT NULL,
    delivery_date date,
    route_id uuid,
    stop_id uuid,
    station_org_id uuid,
    placed_total_fen bigint NOT NULL,
    shortened_fen bigint NOT NULL,
    placed_at timestamp with time zone NOT NULL,
    reserved_until timestamp with time zone,
    parcels_expected integer NOT NULL,
    parcels_delivered integer NOT NULL,
    delivered_parcel_ids uuid[] DEFAULT '{}'::uuid[] NOT NULL,
    delivered_at timestamp with time zone,
    note character varying(500),
    version integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: orders_serial_seq; Type: SEQUENCE; Schema: repository; Owner: -
--

ALTER TABLE repository.orders ALTER COLUMN serial ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME repository.orders_serial_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: outbox; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.outbox (
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
-- Name: outbox_seq_seq; Type: SEQUENCE; Schema: repository; Owner: -
--

ALTER TABLE repository.outbox ALTER COLUMN seq ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME repository.outbox_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: purchase_order_lines; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.purchase_order_lines (
    id uuid NOT NULL,
    purchase_order_id uuid NOT NULL,
    variant_id uuid NOT NULL,
    ordered_cases integer NOT NULL,
    confirmed_cases integer,
    accepted_cases integer NOT NULL,
    rejected_cases integer NOT NULL,
    rejection_reason character varying(500),
    unit_cost_fen bigint NOT NULL,
    CONSTRAINT ck_purchase_order_lines_ordered CHECK ((ordered_cases > 0)),
    CONSTRAINT ck_purchase_order_lines_received CHECK (((accepted_cases + rejected_cases) >= 0))
);


--
-- Name: purchase_order_transitions; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.purchase_order_transitions (
    id uuid NOT NULL,
    purchase_order_id uuid NOT NULL,
    from_status character varying(24),
    to_status character varying(24) NOT NULL,
    action character varying(24) NOT NULL,
    actor_user_id uuid,
    reason character varying(500),
    at timestamp with time zone NOT NULL
);


--
-- Name: purchase_orders; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.purchase_orders (
    id uuid NOT NULL,
    number character varying(40) NOT NULL,
    region_id uuid NOT NULL,
    window_date date NOT NULL,
    supplier_id uuid NOT NULL,
    warehouse_id uuid,
    status character varying(24) NOT NULL,
    expected_arrival date,
    total_cost_fen bigint NOT NULL,
    confirmed_at timestamp with time zone,
    shipped_at timestamp with time zone,
    received_at timestamp with time zone,
    version integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    round_no integer DEFAULT 1 NOT NULL
);


--
-- Name: regions; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.regions (
    id uuid NOT NULL,
    code character varying(40),
    name character varying(200),
    timezone character varying(64) NOT NULL,
    cutoff_time time without time zone NOT NULL,
    reservation_minutes integer NOT NULL,
    close_after_hours integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: reservations; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.reservations (
    order_line_id uuid NOT NULL,
    order_id uuid NOT NULL,
    warehouse_id uuid NOT NULL,
    variant_id uuid NOT NULL,
    cases integer NOT NULL,
    status character varying(12) NOT NULL,
    expires_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: route_stops; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.route_stops (
    route_id uuid NOT NULL,
    stop_id uuid NOT NULL,
    station_org_id uuid,
    sequence integer NOT NULL
);


--
-- Name: routes; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.routes (
    route_id uuid NOT NULL,
    region_id uuid NOT NULL,
    name character varying(200) NOT NULL,
    weekdays integer[] NOT NULL,
    departure_time character varying(5) NOT NULL,
    stops jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: status_changes; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.status_changes (
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
-- Name: status_changes_id_seq; Type: SEQUENCE; Schema: repository; Owner: -
--

ALTER TABLE repository.status_changes ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME repository.status_changes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: stock_balances; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.stock_balances (
    warehouse_id uuid NOT NULL,
    variant_id uuid NOT NULL,
    on_hand integer NOT NULL,
    reserved integer NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_stock_balances_available CHECK ((on_hand >= reserved)),
    CONSTRAINT ck_stock_balances_on_hand CHECK ((on_hand >= 0)),
    CONSTRAINT ck_stock_balances_reserved CHECK ((reserved >= 0))
);


--
-- Name: stock_movements; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.stock_movements (
    seq bigint NOT NULL,
    warehouse_id uuid NOT NULL,
    variant_id uuid NOT NULL,
    kind character varying(20) NOT NULL,
    cases integer NOT NULL,
    on_hand_after integer NOT NULL,
    reserved_after integer NOT NULL,
    reason character varying(500),
    order_id uuid,
    order_line_id uuid,
    purchase_order_id uuid,
    actor_user_id uuid,
    at timestamp with time zone NOT NULL
);


--
-- Name: stock_movements_seq_seq; Type: SEQUENCE; Schema: repository; Owner: -
--

ALTER TABLE repository.stock_movements ALTER COLUMN seq ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME repository.stock_movements_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: suppliers; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.suppliers (
    org_id uuid NOT NULL,
    region_id uuid NOT NULL,
    name character varying(200) NOT NULL,
    organisation_status character varying(20) NOT NULL,
    supplier_status character varying(20) NOT NULL,
    reason character varying(500),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: warehouses; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.warehouses (
    id uuid NOT NULL,
    region_id uuid NOT NULL,
    code character varying(40) NOT NULL,
    name character varying(200) NOT NULL,
    is_county_warehouse boolean NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: window_closures; Type: TABLE; Schema: repository; Owner: -
--

CREATE TABLE repository.window_closures (
    id uuid NOT NULL,
    region_id uuid NOT NULL,
    window_date date NOT NULL,
    route_id uuid,
    closed_at timestamp with time zone NOT NULL,
    closed_by_user_id uuid,
    reason character varying(500)
);


--
-- Data for Name: alembic_version; Type: TABLE DATA; Schema: repository; Owner: -
--

INSERT INTO repository.alembic_version VALUES ('e2b4c6d8f0a1');


--
-- Data for Name: buyer_accounts; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: buyer_past_purchases; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: cart_lines; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: catalog_variants; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: consignment_loose_units; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: consignment_returns; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: consignment_transfers; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: consolidation_runs; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: dead_letters; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: goods_receipts; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: idempotency_keys; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: inbox; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: offers; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: order_lines; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: order_transitions; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: orders; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: outbox; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: purchase_order_lines; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: purchase_order_transitions; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: purchase_orders; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: regions; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: reservations; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: route_stops; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: routes; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: status_changes; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: stock_balances; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: stock_movements; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: suppliers; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: warehouses; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Data for Name: window_closures; Type: TABLE DATA; Schema: repository; Owner: -
--



--
-- Name: dead_letters_id_seq; Type: SEQUENCE SET; Schema: repository; Owner: -
--

SELECT pg_catalog.setval('repository.dead_letters_id_seq', 1, false);


--
-- Name: orders_serial_seq; Type: SEQUENCE SET; Schema: repository; Owner: -
--

SELECT pg_catalog.setval('repository.orders_serial_seq', 1, false);


--
-- Name: outbox_seq_seq; Type: SEQUENCE SET; Schema: repository; Owner: -
--

SELECT pg_catalog.setval('repository.outbox_seq_seq', 1, false);


--
-- Name: status_changes_id_seq; Type: SEQUENCE SET; Schema: repository; Owner: -
--

SELECT pg_catalog.setval('repository.status_changes_id_seq', 1, false);


--
-- Name: stock_movements_seq_seq; Type: SEQUENCE SET; Schema: repository; Owner: -
--

SELECT pg_catalog.setval('repository.stock_movements_seq_seq', 1, false);


--
-- Name: alembic_version alembic_version_pkc; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);


--
-- Name: buyer_accounts pk_buyer_accounts; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.buyer_accounts
    ADD CONSTRAINT pk_buyer_accounts PRIMARY KEY (org_id);


--
-- Name: buyer_past_purchases pk_buyer_past_purchases; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.buyer_past_purchases
    ADD CONSTRAINT pk_buyer_past_purchases PRIMARY KEY (id);


--
-- Name: cart_lines pk_cart_lines; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.cart_lines
    ADD CONSTRAINT pk_cart_lines PRIMARY KEY (buyer_org_id, offer_id);


--
-- Name: catalog_variants pk_catalog_variants; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.catalog_variants
    ADD CONSTRAINT pk_catalog_variants PRIMARY KEY (variant_id);


--
-- Name: consignment_loose_units pk_consignment_loose_units; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.consignment_loose_units
    ADD CONSTRAINT pk_consignment_loose_units PRIMARY KEY (warehouse_id, variant_id, case_pack);


--
-- Name: consignment_returns pk_consignment_returns; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.consignment_returns
    ADD CONSTRAINT pk_consignment_returns PRIMARY KEY (return_id);


--
-- Name: consignment_transfers pk_consignment_transfers; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.consignment_transfers
    ADD CONSTRAINT pk_consignment_transfers PRIMARY KEY (id);


--
-- Name: consolidation_runs pk_consolidation_runs; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.consolidation_runs
    ADD CONSTRAINT pk_consolidation_runs PRIMARY KEY (region_id, window_date);


--
-- Name: dead_letters pk_dead_letters; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.dead_letters
    ADD CONSTRAINT pk_dead_letters PRIMARY KEY (id);


--
-- Name: goods_receipts pk_goods_receipts; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.goods_receipts
    ADD CONSTRAINT pk_goods_receipts PRIMARY KEY (id);


--
-- Name: idempotency_keys pk_idempotency_keys; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.idempotency_keys
    ADD CONSTRAINT pk_idempotency_keys PRIMARY KEY (scope, key);


--
-- Name: inbox pk_inbox; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.inbox
    ADD CONSTRAINT pk_inbox PRIMARY KEY (event_id);


--
-- Name: offers pk_offers; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.offers
    ADD CONSTRAINT pk_offers PRIMARY KEY (id);


--
-- Name: order_lines pk_order_lines; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.order_lines
    ADD CONSTRAINT pk_order_lines PRIMARY KEY (id);


--
-- Name: order_transitions pk_order_transitions; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.order_transitions
    ADD CONSTRAINT pk_order_transitions PRIMARY KEY (id);


--
-- Name: orders pk_orders; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.orders
    ADD CONSTRAINT pk_orders PRIMARY KEY (id);


--
-- Name: outbox pk_outbox; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.outbox
    ADD CONSTRAINT pk_outbox PRIMARY KEY (seq);


--
-- Name: purchase_order_lines pk_purchase_order_lines; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.purchase_order_lines
    ADD CONSTRAINT pk_purchase_order_lines PRIMARY KEY (id);


--
-- Name: purchase_order_transitions pk_purchase_order_transitions; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.purchase_order_transitions
    ADD CONSTRAINT pk_purchase_order_transitions PRIMARY KEY (id);


--
-- Name: purchase_orders pk_purchase_orders; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.purchase_orders
    ADD CONSTRAINT pk_purchase_orders PRIMARY KEY (id);


--
-- Name: regions pk_regions; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.regions
    ADD CONSTRAINT pk_regions PRIMARY KEY (id);


--
-- Name: reservations pk_reservations; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.reservations
    ADD CONSTRAINT pk_reservations PRIMARY KEY (order_line_id);


--
-- Name: route_stops pk_route_stops; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.route_stops
    ADD CONSTRAINT pk_route_stops PRIMARY KEY (route_id, stop_id);


--
-- Name: routes pk_routes; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.routes
    ADD CONSTRAINT pk_routes PRIMARY KEY (route_id);


--
-- Name: status_changes pk_status_changes; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.status_changes
    ADD CONSTRAINT pk_status_changes PRIMARY KEY (id);


--
-- Name: stock_balances pk_stock_balances; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.stock_balances
    ADD CONSTRAINT pk_stock_balances PRIMARY KEY (warehouse_id, variant_id);


--
-- Name: stock_movements pk_stock_movements; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.stock_movements
    ADD CONSTRAINT pk_stock_movements PRIMARY KEY (seq);


--
-- Name: suppliers pk_suppliers; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.suppliers
    ADD CONSTRAINT pk_suppliers PRIMARY KEY (org_id);


--
-- Name: warehouses pk_warehouses; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.warehouses
    ADD CONSTRAINT pk_warehouses PRIMARY KEY (id);


--
-- Name: window_closures pk_window_closures; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.window_closures
    ADD CONSTRAINT pk_window_closures PRIMARY KEY (id);


--
-- Name: dead_letters uq_dead_letters_event_id_consumer; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.dead_letters
    ADD CONSTRAINT uq_dead_letters_event_id_consumer UNIQUE (event_id, consumer);


--
-- Name: goods_receipts uq_goods_receipts_purchase_order_id; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.goods_receipts
    ADD CONSTRAINT uq_goods_receipts_purchase_order_id UNIQUE (purchase_order_id);


--
-- Name: offers uq_offer_region_variant; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.offers
    ADD CONSTRAINT uq_offer_region_variant UNIQUE (region_id, variant_id);


--
-- Name: order_lines uq_order_line_no; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.order_lines
    ADD CONSTRAINT uq_order_line_no UNIQUE (order_id, line_no);


--
-- Name: orders uq_orders_number; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.orders
    ADD CONSTRAINT uq_orders_number UNIQUE (number);


--
-- Name: orders uq_orders_serial; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.orders
    ADD CONSTRAINT uq_orders_serial UNIQUE (serial);


--
-- Name: outbox uq_outbox_event_id; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.outbox
    ADD CONSTRAINT uq_outbox_event_id UNIQUE (event_id);


--
-- Name: buyer_past_purchases uq_past_purchase_day; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.buyer_past_purchases
    ADD CONSTRAINT uq_past_purchase_day UNIQUE (buyer_org_id, offer_id, ordered_on);


--
-- Name: purchase_order_lines uq_po_line_variant; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.purchase_order_lines
    ADD CONSTRAINT uq_po_line_variant UNIQUE (purchase_order_id, variant_id);


--
-- Name: purchase_orders uq_po_window_supplier_round; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.purchase_orders
    ADD CONSTRAINT uq_po_window_supplier_round UNIQUE (region_id, window_date, supplier_id, round_no);


--
-- Name: purchase_orders uq_purchase_orders_number; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.purchase_orders
    ADD CONSTRAINT uq_purchase_orders_number UNIQUE (number);


--
-- Name: warehouses uq_warehouse_region_code; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.warehouses
    ADD CONSTRAINT uq_warehouse_region_code UNIQUE (region_id, code);


--
-- Name: window_closures uq_window_closure; Type: CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.window_closures
    ADD CONSTRAINT uq_window_closure UNIQUE (region_id, window_date, route_id);


--
-- Name: ix_repository_buyer_accounts_region_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_buyer_accounts_region_id ON repository.buyer_accounts USING btree (region_id);


--
-- Name: ix_repository_buyer_accounts_station_org_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_buyer_accounts_station_org_id ON repository.buyer_accounts USING btree (station_org_id);


--
-- Name: ix_repository_buyer_accounts_stop_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_buyer_accounts_stop_id ON repository.buyer_accounts USING btree (stop_id);


--
-- Name: ix_repository_buyer_past_purchases_buyer_org_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_buyer_past_purchases_buyer_org_id ON repository.buyer_past_purchases USING btree (buyer_org_id);


--
-- Name: ix_repository_catalog_variants_product_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_catalog_variants_product_id ON repository.catalog_variants USING btree (product_id);


--
-- Name: ix_repository_catalog_variants_region_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_catalog_variants_region_id ON repository.catalog_variants USING btree (region_id);


--
-- Name: ix_repository_catalog_variants_supplier_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_catalog_variants_supplier_id ON repository.catalog_variants USING btree (supplier_id);


--
-- Name: ix_repository_consignment_returns_region_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_consignment_returns_region_id ON repository.consignment_returns USING btree (region_id);


--
-- Name: ix_repository_consignment_returns_supplier_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_consignment_returns_supplier_id ON repository.consignment_returns USING btree (supplier_id);


--
-- Name: ix_repository_consignment_transfers_product_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_consignment_transfers_product_id ON repository.consignment_transfers USING btree (product_id);


--
-- Name: ix_repository_consignment_transfers_region_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_consignment_transfers_region_id ON repository.consignment_transfers USING btree (region_id);


--
-- Name: ix_repository_consignment_transfers_supplier_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_consignment_transfers_supplier_id ON repository.consignment_transfers USING btree (supplier_id);


--
-- Name: ix_repository_consignment_transfers_warehouse_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_consignment_transfers_warehouse_id ON repository.consignment_transfers USING btree (warehouse_id);


--
-- Name: ix_repository_offers_region_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_offers_region_id ON repository.offers USING btree (region_id);


--
-- Name: ix_repository_offers_status; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_offers_status ON repository.offers USING btree (status);


--
-- Name: ix_repository_offers_supplier_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_offers_supplier_id ON repository.offers USING btree (supplier_id);


--
-- Name: ix_repository_offers_variant_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_offers_variant_id ON repository.offers USING btree (variant_id);


--
-- Name: ix_repository_order_lines_order_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_order_lines_order_id ON repository.order_lines USING btree (order_id);


--
-- Name: ix_repository_order_lines_purchase_order_line_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_order_lines_purchase_order_line_id ON repository.order_lines USING btree (purchase_order_line_id);


--
-- Name: ix_repository_order_lines_supplier_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_order_lines_supplier_id ON repository.order_lines USING btree (supplier_id);


--
-- Name: ix_repository_order_lines_variant_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_order_lines_variant_id ON repository.order_lines USING btree (variant_id);


--
-- Name: ix_repository_order_transitions_order_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_order_transitions_order_id ON repository.order_transitions USING btree (order_id);


--
-- Name: ix_repository_orders_buyer_org_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_orders_buyer_org_id ON repository.orders USING btree (buyer_org_id);


--
-- Name: ix_repository_orders_region_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_orders_region_id ON repository.orders USING btree (region_id);


--
-- Name: ix_repository_orders_status; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_orders_status ON repository.orders USING btree (status);


--
-- Name: ix_repository_orders_window_date; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_orders_window_date ON repository.orders USING btree (window_date);


--
-- Name: ix_repository_outbox_published_at; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_outbox_published_at ON repository.outbox USING btree (published_at);


--
-- Name: ix_repository_purchase_order_lines_purchase_order_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_purchase_order_lines_purchase_order_id ON repository.purchase_order_lines USING btree (purchase_order_id);


--
-- Name: ix_repository_purchase_order_transitions_purchase_order_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_purchase_order_transitions_purchase_order_id ON repository.purchase_order_transitions USING btree (purchase_order_id);


--
-- Name: ix_repository_purchase_orders_region_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_purchase_orders_region_id ON repository.purchase_orders USING btree (region_id);


--
-- Name: ix_repository_purchase_orders_status; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_purchase_orders_status ON repository.purchase_orders USING btree (status);


--
-- Name: ix_repository_purchase_orders_supplier_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_purchase_orders_supplier_id ON repository.purchase_orders USING btree (supplier_id);


--
-- Name: ix_repository_purchase_orders_window_date; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_purchase_orders_window_date ON repository.purchase_orders USING btree (window_date);


--
-- Name: ix_repository_reservations_expires_at; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_reservations_expires_at ON repository.reservations USING btree (expires_at);


--
-- Name: ix_repository_reservations_order_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_reservations_order_id ON repository.reservations USING btree (order_id);


--
-- Name: ix_repository_reservations_status; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_reservations_status ON repository.reservations USING btree (status);


--
-- Name: ix_repository_route_stops_station_org_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_route_stops_station_org_id ON repository.route_stops USING btree (station_org_id);


--
-- Name: ix_repository_routes_region_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_routes_region_id ON repository.routes USING btree (region_id);


--
-- Name: ix_repository_stock_movements_order_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_stock_movements_order_id ON repository.stock_movements USING btree (order_id);


--
-- Name: ix_repository_stock_movements_variant_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_stock_movements_variant_id ON repository.stock_movements USING btree (variant_id);


--
-- Name: ix_repository_stock_movements_warehouse_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_stock_movements_warehouse_id ON repository.stock_movements USING btree (warehouse_id);


--
-- Name: ix_repository_suppliers_region_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_suppliers_region_id ON repository.suppliers USING btree (region_id);


--
-- Name: ix_repository_warehouses_region_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_warehouses_region_id ON repository.warehouses USING btree (region_id);


--
-- Name: ix_repository_window_closures_region_id; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_repository_window_closures_region_id ON repository.window_closures USING btree (region_id);


--
-- Name: ix_status_changes_machine_entity; Type: INDEX; Schema: repository; Owner: -
--

CREATE INDEX ix_status_changes_machine_entity ON repository.status_changes USING btree (machine, entity_id);


--
-- Name: consignment_loose_units fk_consignment_loose_units_warehouse_id_warehouses; Type: FK CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.consignment_loose_units
    ADD CONSTRAINT fk_consignment_loose_units_warehouse_id_warehouses FOREIGN KEY (warehouse_id) REFERENCES repository.warehouses(id);


--
-- Name: consignment_transfers fk_consignment_transfers_warehouse_id_warehouses; Type: FK CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.consignment_transfers
    ADD CONSTRAINT fk_consignment_transfers_warehouse_id_warehouses FOREIGN KEY (warehouse_id) REFERENCES repository.warehouses(id);


--
-- Name: goods_receipts fk_goods_receipts_purchase_order_id_purchase_orders; Type: FK CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.goods_receipts
    ADD CONSTRAINT fk_goods_receipts_purchase_order_id_purchase_orders FOREIGN KEY (purchase_order_id) REFERENCES repository.purchase_orders(id);


--
-- Name: order_lines fk_order_lines_order_id_orders; Type: FK CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.order_lines
    ADD CONSTRAINT fk_order_lines_order_id_orders FOREIGN KEY (order_id) REFERENCES repository.orders(id);


--
-- Name: order_transitions fk_order_transitions_order_id_orders; Type: FK CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.order_transitions
    ADD CONSTRAINT fk_order_transitions_order_id_orders FOREIGN KEY (order_id) REFERENCES repository.orders(id);


--
-- Name: purchase_order_lines fk_purchase_order_lines_purchase_order_id_purchase_orders; Type: FK CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.purchase_order_lines
    ADD CONSTRAINT fk_purchase_order_lines_purchase_order_id_purchase_orders FOREIGN KEY (purchase_order_id) REFERENCES repository.purchase_orders(id);


--
-- Name: purchase_order_transitions fk_purchase_order_transitions_purchase_order_id_purchase_orders; Type: FK CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.purchase_order_transitions
    ADD CONSTRAINT fk_purchase_order_transitions_purchase_order_id_purchase_orders FOREIGN KEY (purchase_order_id) REFERENCES repository.purchase_orders(id);


--
-- Name: reservations fk_reservations_warehouse_id_warehouses; Type: FK CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.reservations
    ADD CONSTRAINT fk_reservations_warehouse_id_warehouses FOREIGN KEY (warehouse_id) REFERENCES repository.warehouses(id);


--
-- Name: route_stops fk_route_stops_route_id_routes; Type: FK CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.route_stops
    ADD CONSTRAINT fk_route_stops_route_id_routes FOREIGN KEY (route_id) REFERENCES repository.routes(route_id) ON DELETE CASCADE;


--
-- Name: stock_balances fk_stock_balances_warehouse_id_warehouses; Type: FK CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.stock_balances
    ADD CONSTRAINT fk_stock_balances_warehouse_id_warehouses FOREIGN KEY (warehouse_id) REFERENCES repository.warehouses(id);


--
-- Name: stock_movements fk_stock_movements_warehouse_id_warehouses; Type: FK CONSTRAINT; Schema: repository; Owner: -
--

ALTER TABLE ONLY repository.stock_movements
    ADD CONSTRAINT fk_stock_movements_warehouse_id_warehouses FOREIGN KEY (warehouse_id) REFERENCES repository.warehouses(id);


--
-- PostgreSQL database dump complete
--
