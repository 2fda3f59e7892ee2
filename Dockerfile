# syntax=docker/dockerfile:1
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY schema/ schema/
COPY src/main/ src/main/
RUN ./mvnw -B -q -DskipTests package && cp target/persona-gate-*.jar /src/app.jar

# Development mode for the credential-free demo (docker-compose.demo.yml), with the Persona emulator and dev
# sign-in from the test sources. Built only with --target dev; the default target, the last stage below, is
# the production image and has none of it. Everything is compiled here, once: a start runs the JVM alone,
# not Maven, with the test classpath written at build time (target/dev.args, a java @-file).
FROM eclipse-temurin:17-jdk AS dev
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --create-home --home-dir /home/gate gate \
    && mkdir /src && chown gate /src
WORKDIR /src
USER 10001
COPY --chown=10001 .mvn/ .mvn/
COPY --chown=10001 mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY --chown=10001 schema/ schema/
COPY --chown=10001 src/ src/
RUN ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile=target/classpath.txt \
    && printf -- '-cp target/test-classes:target/classes:%s\n' "$(cat target/classpath.txt)" > target/dev.args
# inside the container, on every interface of its own network: the host publishes the port on its loopback
# alone (docker-compose.demo.yml), since anyone who reaches development mode can sign in as anyone
ENV SERVER_ADDRESS=0.0.0.0
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "@target/dev.args", "io.personagate.DevGateApplication"]

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app gate
WORKDIR /app
COPY --from=build /src/app.jar /app/app.jar
USER 10001
EXPOSE 8080
# ready = PostgreSQL reachable and the LISTEN connection up; never Persona, whose outage must not take
# healthy instances out
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/actuator/health/readiness || exit 1
# the heap sized from the container's memory limit (75 % of it); more JVM options: JAVA_TOOL_OPTIONS
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/app.jar"]
