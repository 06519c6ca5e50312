# The secured local stack (scripts/stack up --secure): Kafka on SASL_SSL with SCRAM-SHA-512 and
# KRaft's StandardAuthorizer, the registry on HTTPS with basic authentication, one principal per
# role with only the ACLs it needs (docs/SECURITY.md). Everything is generated at the first start
# under $TWINLOG_WORK/secure (mode 700): a self-signed certificate for localhost (keytool), a random
# password per principal, and per principal a client properties file that references its secrets
# file rather than holding them, so printing a client file never shows a password.

SECURE_DIR=$TWINLOG_WORK/secure
PRINCIPALS=(admin twinlog-job device-gateway alerts-consumer read-side)
KEYTOOL=${JAVA_HOME:+$JAVA_HOME/bin/}keytool

secure_enabled() {
  [ -f "$SECURE_DIR/enabled" ]
}

# The secret of a principal, from its secrets file (a password never goes on a command line).
secure_password() {
  sed -n 's/^password=//p' "$SECURE_DIR/$1.secret"
}

random_password() {
  tr -dc 'A-Za-z0-9' </dev/urandom | head -c 24 || true
}

# Generates certificates, passwords and client files, once (the CLI jar is built by then).
secure_init() {
  secure_enabled && return
  command -v "$KEYTOOL" >/dev/null 2>&1 || fail "keytool (part of the JDK) is needed for --secure"
  (umask 077 && mkdir -p "$SECURE_DIR")
  chmod 700 "$SECURE_DIR"
  local store_password
  store_password=$(random_password)
  # No trailing newline: a ${directory:...} reference reads the file's exact content.
  (umask 077 && printf '%s' "$store_password" >"$SECURE_DIR/keystore.password")
  log "secure: generating a certificate for localhost and passwords for ${PRINCIPALS[*]}"
  "$KEYTOOL" -genkeypair -alias localhost -keyalg RSA -keysize 2048 -validity 825 \
    -dname "CN=localhost" -ext "SAN=dns:localhost,ip:127.0.0.1" \
    -keystore "$SECURE_DIR/server.p12" -storetype PKCS12 \
    -storepass:file "$SECURE_DIR/keystore.password" >/dev/null 2>&1 \
    || fail "keytool could not generate the certificate"
  "$KEYTOOL" -exportcert -rfc -alias localhost -keystore "$SECURE_DIR/server.p12" \
    -storepass:file "$SECURE_DIR/keystore.password" -file "$SECURE_DIR/ca.pem" >/dev/null 2>&1
  "$KEYTOOL" -importcert -noprompt -alias localhost -file "$SECURE_DIR/ca.pem" \
    -keystore "$SECURE_DIR/truststore.p12" -storetype PKCS12 \
    -storepass:file "$SECURE_DIR/keystore.password" >/dev/null 2>&1
  : >"$SECURE_DIR/registry-users"
  chmod 600 "$SECURE_DIR/registry-users"
  local principal password
  for principal in "${PRINCIPALS[@]}"; do
    password=$(random_password)
    (umask 077 && cat >"$SECURE_DIR/$principal.secret" <<SECRET
password=$password
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$principal" password="$password";
registry.user.info=$principal:$password
SECRET
    )
    printf '%s:%s\n' "$principal" "$password" >>"$SECURE_DIR/registry-users"
    cat >"$SECURE_DIR/$principal.properties" <<CLIENT
# Client properties of the principal $principal (--command-config); its secrets are in $principal.secret.
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=\${file:$SECURE_DIR/$principal.secret:sasl.jaas.config}
ssl.truststore.type=PEM
ssl.truststore.location=$SECURE_DIR/ca.pem
schema.registry.basic.auth.user.info=\${file:$SECURE_DIR/$principal.secret:registry.user.info}
schema.registry.ssl.truststore.location=$SECURE_DIR/ca.pem
CLIENT
  done
  # The console's user (HTTP Basic and the console's login; scope read): its password in
  # console.secret, only its PBKDF2 hash in the read side's password file.
  password=$(random_password)
  (umask 077 && printf 'user=console\npassword=%s\n' "$password" >"$SECURE_DIR/console.secret")
  (umask 077 && printf '%s\n' "$password" | "$JAVA" $(java_17_opts) -jar "$CLI_JAR" serve \
    --hash-password console >"$SECURE_DIR/read-side-users") \
    || fail "could not hash the console's password"
  # The job's options file (TWINLOG_JOB_CONFIG): the same settings as job options.
  sed -n 's/^\(security\|sasl\|ssl\)\./properties.\1./p; s/^\(schema\.registry\..*\)/\1/p' \
    "$SECURE_DIR/twinlog-job.properties" >"$SECURE_DIR/job.conf"
  touch "$SECURE_DIR/enabled"
}

# Appended to the broker's server.properties: SASL_SSL for clients, mutual TLS between the broker
# and its controller (the broker's certificate is its principal there), ACLs enforced.
secure_server_properties() {
  cat <<PROPS
listeners=SASL_SSL://localhost:$TWINLOG_KAFKA_PORT,CONTROLLER://localhost:$TWINLOG_KAFKA_CONTROLLER_PORT
advertised.listeners=SASL_SSL://localhost:$TWINLOG_KAFKA_PORT
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SSL
inter.broker.listener.name=SASL_SSL
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(secure_password admin)";
ssl.keystore.type=PKCS12
ssl.keystore.location=$SECURE_DIR/server.p12
ssl.keystore.password=$(cat "$SECURE_DIR/keystore.password")
ssl.truststore.type=PKCS12
ssl.truststore.location=$SECURE_DIR/truststore.p12
ssl.truststore.password=$(cat "$SECURE_DIR/keystore.password")
listener.name.controller.ssl.client.auth=required
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;User:CN=localhost
PROPS
}

# kafka-storage format's arguments that create every principal's SCRAM credentials.
secure_format_args() {
  local principal
  for principal in "${PRINCIPALS[@]}"; do
    printf '%s\n' --add-scram "SCRAM-SHA-512=[name=$principal,password=$(secure_password "$principal")]"
  done
}

# twinlog serve's arguments: HTTPS with the stack's certificate, the console's user, and bearer
# tokens when TWINLOG_READ_SIDE_JWKS (a JWKS file or URL), TWINLOG_READ_SIDE_JWT_ISSUER and
# TWINLOG_READ_SIDE_JWT_AUDIENCE say whose.
secure_readside_args() {
  printf '%s\n' --secure --tls-keystore "$SECURE_DIR/server.p12" \
    --tls-keystore-password "\${directory:$SECURE_DIR:keystore.password}" \
    --password-file "$SECURE_DIR/read-side-users"
  if [ -n "${TWINLOG_READ_SIDE_JWKS:-}" ]; then
    printf '%s\n' --jwks "$TWINLOG_READ_SIDE_JWKS" \
      --jwt-issuer "${TWINLOG_READ_SIDE_JWT_ISSUER:?TWINLOG_READ_SIDE_JWKS needs TWINLOG_READ_SIDE_JWT_ISSUER}" \
      --jwt-audience "${TWINLOG_READ_SIDE_JWT_AUDIENCE:?TWINLOG_READ_SIDE_JWKS needs TWINLOG_READ_SIDE_JWT_AUDIENCE}"
  fi
}

secure_registry_args() {
  printf '%s\n' --tls-keystore "$SECURE_DIR/server.p12" \
    --tls-keystore-password-file "$SECURE_DIR/keystore.password" --users "$SECURE_DIR/registry-users"
}

# Each role's ACLs, from the topic layout (scripts/twinlog acls create, as admin).
secure_acls() {
  TWINLOG_COMMAND_CONFIG=$SECURE_DIR/admin.properties "$JAVA" $(java_17_opts) -jar "$CLI_JAR" acls create \
    --job User:twinlog-job --gateway User:device-gateway --alerts-consumer User:alerts-consumer \
    --read-side User:read-side >"$LOGS/acls.out" 2>&1 \
    || { cat "$LOGS/acls.out" >&2; fail "creating the ACLs failed"; }
  log "secure: ACLs for twinlog-job, device-gateway, alerts-consumer, read-side ($(grep -c '^allow' "$LOGS/acls.out") entries)"
}
