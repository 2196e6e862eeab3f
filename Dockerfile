# The image of every framestream service (ingest, classify, train --online, topics create):
# docker-compose.yml builds it with `docker compose up --build`. Nothing in ./mvnw or CI needs Docker.

# Build: the Maven wrapper makes app/target/framestream.jar and the jars it names in app/target/lib.
FROM eclipse-temurin:25-jdk-noble AS build
WORKDIR /src
COPY . .
RUN ./mvnw -q -B -ntp -DskipTests package

# Run: a JRE (it has jdk.incubator.vector and jdk.httpserver), ffmpeg for the sources OpenCV cannot
# decode, and the app. OpenCV's native library comes inside its jar.
FROM eclipse-temurin:25-jre-noble
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/app/target/framestream.jar /app/framestream.jar
COPY --from=build /src/app/target/lib /app/lib
# The classifier's state directory lives under the service user's home; a named volume mounted
# there takes this ownership.
RUN useradd --system --home-dir /var/lib/framestream --create-home framestream \
    && mkdir -p /var/lib/framestream/state && chown -R framestream /var/lib/framestream
USER framestream
# The flags the ./framestream launcher passes (see it for why), and a heap that follows the container's memory.
ENTRYPOINT ["java", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", \
            "-XX:+UnlockDiagnosticVMOptions", "-XX:-OptoRegScheduling", "--sun-misc-unsafe-memory-access=allow", \
            "-XX:MaxRAMPercentage=75", "-jar", "/app/framestream.jar"]
CMD ["--help"]
