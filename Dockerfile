# The Flotilla control plane image, ghcr.io/flotilla/flotilla (docs/deploy.md):
#   docker build -t ghcr.io/flotilla/flotilla:0.1.0-SNAPSHOT .
# The same layout as a checkout, reduced to what `flotilla server` runs: the command-line jar
# (cli/target/flotilla.jar, which ./flotilla runs with java -jar) and the server distributions
# whose admin tools the membership drivers run as child JVMs (servers/<type>/target/lib, found
# through -Dflotilla.home). The entrypoint is the flotilla command: pass `server --kubernetes ...`.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# a clean build whatever the build context held; no tests (CI runs them)
RUN find . -name target -type d -prune -exec rm -rf {} + \
 && mvn -B -ntp -DskipTests \
      -pl cli,servers/zookeeper,servers/kafka,servers/rocketmq,servers/opensearch -am package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 65532 flotilla \
 && useradd --system --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent flotilla
COPY --from=build /src/cli/target/flotilla.jar /opt/flotilla/flotilla.jar
COPY --from=build /src/servers/zookeeper/target/lib /opt/flotilla/servers/zookeeper/target/lib
COPY --from=build /src/servers/kafka/target/lib /opt/flotilla/servers/kafka/target/lib
COPY --from=build /src/servers/rocketmq/target/lib /opt/flotilla/servers/rocketmq/target/lib
COPY --from=build /src/servers/opensearch/target/lib /opt/flotilla/servers/opensearch/target/lib
USER 65532:65532
WORKDIR /opt/flotilla
EXPOSE 8080
# Half the container's memory for the heap: the membership tools' child JVMs (-Xmx256m each) and
# the JVM's own memory need the rest.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-Dflotilla.home=/opt/flotilla", "-jar", "/opt/flotilla/flotilla.jar"]
CMD ["--help"]
