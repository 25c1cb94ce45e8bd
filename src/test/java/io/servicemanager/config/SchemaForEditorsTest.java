package io.servicemanager.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped schemas as an editor sees them: checked by another validator, they accept the shipped files. */
class SchemaForEditorsTest {
  private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static Schema schema(String name) {
    return SCHEMAS.getSchema(ConfigSchema.load(name).document().encode());
  }

  @ParameterizedTest(name = "conf/{0}.yaml")
  @ValueSource(strings = {"config", "services", "users"})
  @DisplayName("Each shipped conf/ file is valid against its schema for a standard JSON Schema validator, and a typo is not")
  void shippedFilesAreValid(String name) throws Exception {
    JsonNode file = YAML.readTree(Path.of("conf", name + ".yaml").toFile());
    if (file == null || file.isNull() || file.isMissingNode()) {
      file = YAML.createObjectNode(); // a file of comments only: every default
    }
    assertThat(schema(name).validate(file)).extracting(Error::toString).isEmpty();
    ((com.fasterxml.jackson.databind.node.ObjectNode) file).put("colour", "red");
    assertThat(schema(name).validate(file)).extracting(Error::toString).singleElement().asString().contains("colour");
  }
}
