/* hangar-domain-edit.c: definitions the engine changes itself
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A HangarDomain is immutable: an edit copies the document, changes the copy and
 * parses it again, so the new definition passes every check a defined one does.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <libxml/tree.h>
#include <string.h>

#include "hangar-domain-private.h"

static void
remove_node (xmlNode *node)
{
  /* The indentation before the element goes with it. */
  if (node->prev != NULL && xmlNodeIsText (node->prev))
    {
      xmlNode *space = node->prev;
      xmlUnlinkNode (space);
      xmlFreeNode (space);
    }
  xmlUnlinkNode (node);
  xmlFreeNode (node);
}

static void
remove_children (xmlNode    *parent,
                 const char *name,
                 const char *attribute,
                 const char *value)
{
  xmlNode *next;

  for (xmlNode *n = parent ? parent->children : NULL; n != NULL; n = next)
    {
      g_autofree char *actual = NULL;

      next = n->next;
      if (!hangar_xml_node_is (n, name))
        continue;
      actual = attribute ? hangar_xml_attr (n, attribute) : NULL;
      if (attribute == NULL || g_strcmp0 (actual, value) == 0)
        remove_node (n);
    }
}

static void
remove_metadata_install (xmlNode *root)
{
  xmlNode *metadata = hangar_xml_child (root, "metadata");
  xmlNode *next;

  for (xmlNode *n = metadata ? metadata->children : NULL; n != NULL; n = next)
    {
      next = n->next;
      if (n->type == XML_ELEMENT_NODE && n->ns != NULL &&
          g_strcmp0 ((const char *) n->ns->href, HANGAR_METADATA_NS) == 0 &&
          g_str_equal ((const char *) n->name, "install"))
        remove_node (n);
    }
}

/* Ejects every CD-ROM: its <source> goes, the drive stays, empty. Boot from the disk. */
static void
finish_cdrom_install (xmlNode *root)
{
  xmlNode *devices = hangar_xml_child (root, "devices");
  xmlNode *os = hangar_xml_child (root, "os");

  for (xmlNode *n = devices ? devices->children : NULL; n != NULL; n = n->next)
    {
      g_autofree char *device = NULL;

      if (!hangar_xml_node_is (n, "disk"))
        continue;
      device = hangar_xml_attr (n, "device");
      if (g_strcmp0 (device, "cdrom") != 0)
        continue;
      remove_children (n, "source", NULL, NULL);
      remove_children (n, "boot", NULL, NULL);
    }
  remove_children (os, "boot", "dev", "cdrom");
}

/* The installer's kernel and initrd booted once; now the disk boots. */
static void
finish_kernel_install (xmlNode *root)
{
  xmlNode *os = hangar_xml_child (root, "os");

  remove_children (os, "kernel", NULL, NULL);
  remove_children (os, "initrd", NULL, NULL);
  remove_children (os, "cmdline", NULL, NULL);
}

/**
 * hangar_domain_finish_install:
 *
 * Returns: the definition as it is once the OS is installed: for the "cdrom" phase
 * the CD-ROM drives empty and the disk first to boot; for "kernel" no installer
 * kernel, initrd or arguments. The install phase is gone from <metadata>.
 */
HangarDomain *
hangar_domain_finish_install (HangarDomain  *self,
                              GError       **error)
{
  const HangarDomainDef *def = hangar_domain_get_def (self);
  xmlDoc *copy;
  xmlNode *root;
  xmlChar *buffer = NULL;
  int size = 0;
  HangarDomain *result;

  g_return_val_if_fail (self != NULL, NULL);

  copy = xmlCopyDoc (hangar_domain_get_doc (self), 1);
  root = xmlDocGetRootElement (copy);
  remove_metadata_install (root);
  if (g_strcmp0 (def->install_phase, "cdrom") == 0)
    finish_cdrom_install (root);
  else if (g_strcmp0 (def->install_phase, "kernel") == 0)
    finish_kernel_install (root);
  /* An empty <metadata> is valid, and harmless. */
  xmlDocDumpMemory (copy, &buffer, &size);
  result = hangar_domain_parse ((const char *) buffer, size, error);
  xmlFree (buffer);
  xmlFreeDoc (copy);
  return result;
}
