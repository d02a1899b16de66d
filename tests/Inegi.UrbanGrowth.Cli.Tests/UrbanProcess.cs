// The CLI tests call the shared runner by the name they always used.
global using UrbanProcess = Inegi.UrbanGrowth.Testing.UrbanTool;
