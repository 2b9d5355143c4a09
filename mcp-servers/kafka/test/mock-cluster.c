/*
 * A Kafka cluster for wire-level tests: librdkafka's mock cluster on loopback. Prints the bootstrap
 * servers on the first line of stdout, then reads commands from stdin, one a line, answering each
 * with "ok" or "error <reason>":
 *   topic NAME PARTITIONS     create a topic (the mock has no CreateTopics API)
 * It runs until stdin closes, so it never outlives the test process that started it.
 * Build: cc -o mock-cluster mock-cluster.c -lrdkafka
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  char errstr[512], line[1024], name[512];
  int brokers = argc > 1 ? atoi(argv[1]) : 1, partitions;
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr); /* errors only, on stderr */
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (rk == NULL) return fprintf(stderr, "rd_kafka_new: %s\n", errstr), 1;
  rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(rk, brokers < 1 ? 1 : brokers);
  if (cluster == NULL) return fprintf(stderr, "rd_kafka_mock_cluster_new failed\n"), 1;
  printf("%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  fflush(stdout);
  while (fgets(line, sizeof line, stdin) != NULL) {
    if (sscanf(line, "topic %511s %d", name, &partitions) == 2) {
      rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster, name, partitions, 1);
      if (err) printf("error %s\n", rd_kafka_err2str(err));
      else printf("ok\n");
    } else {
      printf("error unknown command\n");
    }
    fflush(stdout);
  }
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}
