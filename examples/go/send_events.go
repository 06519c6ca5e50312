// Command send_events writes DeviceEvents to twinlog's event log from Go, as a device gateway
// would.
//
// It uses confluent-kafka-go (librdkafka) with its default partitioner, which hashes keys with
// CRC32, not murmur2 like the Java client: twinlog works with any partitioner that is consistent
// per key. The value is Avro in the Confluent wire format (byte 0, the 4-byte schema id, the Avro
// body), encoded with goavro. Builds with Debian's golang-go,
// golang-github-confluentinc-confluent-kafka-go-dev and golang-github-linkedin-goavro-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -tags dynamic -o send_events send_events.go
//	./send_events -devices thermo-1,thermo-2 -events 10 -interval 30s
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/confluentinc/confluent-kafka-go/kafka"
	"github.com/linkedin/goavro"
)

func main() {
	bootstrap := flag.String("bootstrap-servers", "localhost:9092", "Kafka")
	registry := flag.String("registry-url", "http://localhost:8085", "schema registry")
	topic := flag.String("topic", "device-events", "the event log")
	devices := flag.String("devices", "go-1,go-2", "comma-separated device ids")
	count := flag.Int("events", 10, "events per device")
	interval := flag.Duration("interval", 30*time.Second, "event time between them")
	startAt := flag.String("start", "", "event time of the first, RFC 3339 (default: now)")
	flag.Parse()

	schema, err := os.ReadFile(schemaPath())
	check(err)
	codec, err := goavro.NewCodec(string(schema))
	check(err)
	id, err := register(*registry, *topic+"-value", string(schema))
	check(err)
	start := time.Now().UTC()
	if *startAt != "" {
		start, err = time.Parse(time.RFC3339, *startAt)
		check(err)
	}

	producer, err := kafka.NewProducer(&kafka.ConfigMap{
		"bootstrap.servers":  *bootstrap,
		"enable.idempotence": true,
	})
	check(err)
	defer producer.Close()
	deliveries := make(chan kafka.Event, 1024)
	sent := 0
	for step := 0; step < *count; step++ {
		for _, device := range strings.Split(*devices, ",") {
			at := start.Add(time.Duration(step) * *interval)
			var payload map[string]interface{}
			if step == 0 {
				payload = map[string]interface{}{"io.twinlog.schema.event.DeviceRegistered": map[string]interface{}{
					"model": "thermo-go", "firmwareVersion": "1.0", "tags": map[string]interface{}{"site": "go"}}}
			} else {
				payload = map[string]interface{}{"io.twinlog.schema.event.TelemetryReported": map[string]interface{}{
					"readings": map[string]interface{}{"temperature": 20.0 + float64(step%10)}}}
			}
			body, err := codec.BinaryFromNative(nil, map[string]interface{}{
				"eventId":   fmt.Sprintf("%s-%d-%d", device, start.UnixMilli(), step),
				"deviceId":  device,
				"eventTime": at,
				"payload":   payload,
			})
			check(err)
			value := append([]byte{0, 0, 0, 0, 0}, body...)
			binary.BigEndian.PutUint32(value[1:5], id)
			check(producer.Produce(&kafka.Message{
				TopicPartition: kafka.TopicPartition{Topic: topic, Partition: kafka.PartitionAny},
				Key:            []byte(device), // the device id is the key: one partition per device
				Value:          value,
				Timestamp:      at,
			}, deliveries))
			sent++
		}
	}
	for i := 0; i < sent; i++ {
		if m := (<-deliveries).(*kafka.Message); m.TopicPartition.Error != nil {
			check(m.TopicPartition.Error)
		}
	}
	fmt.Printf("sent %d events for %s to %s (schema id %d)\n", sent, *devices, *topic, id)
}

// register registers the schema under the subject (Confluent REST API) and returns its id.
func register(registry, subject, schema string) (uint32, error) {
	request, _ := json.Marshal(map[string]string{"schema": schema})
	response, err := http.Post(registry+"/subjects/"+subject+"/versions",
		"application/vnd.schemaregistry.v1+json", bytes.NewReader(request))
	if err != nil {
		return 0, err
	}
	defer response.Body.Close()
	var answer struct {
		ID      uint32 `json:"id"`
		Message string `json:"message"`
	}
	if err := json.NewDecoder(response.Body).Decode(&answer); err != nil {
		return 0, err
	}
	if response.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("the registry refused the schema: %d %s", response.StatusCode, answer.Message)
	}
	return answer.ID, nil
}

// schemaPath is the contract's schema in this repository.
func schemaPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "schemas", "src", "main", "avro", "event", "DeviceEvent.avsc")
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}
